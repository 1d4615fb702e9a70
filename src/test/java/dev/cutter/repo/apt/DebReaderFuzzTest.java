package dev.cutter.repo.apt;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.cutter.content.Confined;
import dev.cutter.pkg.InvalidPackageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzzes the .deb reader with any bytes: a package whose pool path stays inside the repository,
 * or an {@link InvalidPackageException} naming the file and what is wrong with it; never another
 * exception, a hang or a control file without bounds. The seeds are packages {@code DebWriter}
 * made. Runs on its seeds with the tests; {@code FuzzCampaignTest} fuzzes it.
 */
class DebReaderFuzzTest {
    private static final Path FILE = scratchFile();
    private static final Path ROOT = Path.of("/srv/repo");

    @FuzzTest
    void debs(byte[] input) {
        fuzzerTestOneInput(input);
    }

    /** The target the Jazzer command line calls. */
    public static void fuzzerTestOneInput(byte[] input) {
        try {
            Files.write(FILE, input);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AptPackage pkg;
        try {
            pkg = DebReader.read(FILE, "pool/main/f/fuzz.deb");
        } catch (InvalidPackageException expected) {
            return; // not a .deb Cutter can index, said so
        } catch (IOException e) {
            throw new AssertionError("a bad .deb must be refused as an InvalidPackageException, not " + e, e);
        }
        // whatever the control file said, the pool path is pool/main/<prefix>/<source>/<file>, below the root
        String poolPath = pkg.poolPath("main");
        Path resolved;
        try {
            resolved = Confined.resolve(ROOT, poolPath);
        } catch (Confined.OutsideRootException e) {
            throw new AssertionError(pkg.name() + " " + pkg.version() + " " + pkg.architecture() + " (source " + pkg.source()
                    + ") was accepted but makes the pool path " + poolPath, e);
        }
        if (!resolved.getParent().getParent().getParent().equals(ROOT.resolve("pool/main"))
                || !resolved.getFileName().toString().endsWith(".deb")) {
            throw new AssertionError("the pool path " + poolPath + " is not pool/main/<prefix>/<source>/<file>.deb");
        }
    }

    private static Path scratchFile() {
        try {
            Path file = Files.createTempFile("fuzz", ".deb");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
