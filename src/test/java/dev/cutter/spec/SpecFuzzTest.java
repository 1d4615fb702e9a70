package dev.cutter.spec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzzes the spec loader with any text: it is a {@link Spec} or one {@link SpecException}, never
 * another exception, a hang or a stack overflow. The seeds are the examples' cutter.yaml files.
 * Runs on its seeds with the tests; {@code FuzzCampaignTest} fuzzes it.
 */
class SpecFuzzTest {
    /** An empty directory to load the text "from": relative paths in it lead nowhere. */
    private static final Path DIR = emptyDirectory();

    @FuzzTest
    void specTexts(byte[] input) {
        fuzzerTestOneInput(input);
    }

    /** The target the Jazzer command line calls. */
    public static void fuzzerTestOneInput(byte[] input) {
        try {
            dev.cutter.kinds.Capabilities.specLoader().load(DIR.resolve("cutter.yaml"), new String(input, StandardCharsets.UTF_8));
        } catch (SpecException expected) {
            // a spec with faults, each named with its line
        }
    }

    private static Path emptyDirectory() {
        try {
            Path dir = Files.createTempDirectory("spec-fuzz");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
