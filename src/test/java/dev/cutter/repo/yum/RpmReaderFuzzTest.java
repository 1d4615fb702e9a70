package dev.cutter.repo.yum;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.cutter.content.Confined;
import dev.cutter.pkg.InvalidPackageException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Fuzzes the .rpm reader (lead, signature and main headers, then the payload hashed) with any
 * bytes: a package whose file name under Packages/ is one plain name inside the repository, or an
 * {@link InvalidPackageException} naming the file and the problem; never another exception, a
 * hang or an allocation sized by the input. The seeds are packages {@code RpmWriter} made. Runs
 * on its seeds with the tests; {@code FuzzCampaignTest} fuzzes it.
 */
class RpmReaderFuzzTest {
    private static final Path PACKAGES = Path.of("/srv/repo").resolve(YumRepository.PACKAGES);

    @FuzzTest
    void rpms(byte[] input) {
        fuzzerTestOneInput(input);
    }

    /** The target the Jazzer command line calls. */
    public static void fuzzerTestOneInput(byte[] input) {
        YumPackage p;
        try {
            p = PackageReader.read(new ByteArrayInputStream(input), null, "fuzz.rpm", "Packages/fuzz.rpm", 0);
        } catch (InvalidPackageException expected) {
            return; // not an .rpm Cutter can index, said so
        } catch (IOException e) {
            throw new AssertionError("a bad .rpm must be refused as an InvalidPackageException, not " + e, e);
        }
        Path resolved;
        try {
            resolved = Confined.resolve(PACKAGES, p.fileName());
        } catch (Confined.OutsideRootException e) {
            throw new AssertionError(p.nevra() + " was accepted but its file name " + p.fileName() + " leaves Packages/", e);
        }
        if (!resolved.getParent().equals(PACKAGES)) {
            throw new AssertionError(p.nevra() + " was accepted but its file name " + p.fileName() + " is not one name in Packages/");
        }
    }
}
