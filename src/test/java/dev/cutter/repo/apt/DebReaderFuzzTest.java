package dev.cutter.repo.apt;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzzes the .deb reader with any bytes: a package, or an {@link IOException} naming the file and
 * what is wrong with it; never another exception, a hang or a control file without bounds. The
 * seeds are packages {@code DebWriter} made. Runs on its seeds with the tests; {@code
 * FuzzCampaignTest} fuzzes it.
 */
class DebReaderFuzzTest {
    private static final Path FILE = scratchFile();

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
        try {
            DebReader.read(FILE, "pool/main/f/fuzz.deb");
        } catch (IOException expected) {
            // not a .deb Cutter can index, said so
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
