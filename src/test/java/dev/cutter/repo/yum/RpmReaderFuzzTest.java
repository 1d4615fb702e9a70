package dev.cutter.repo.yum;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Fuzzes the .rpm reader (lead, signature and main headers, then the payload hashed) with any
 * bytes: a package, or an {@link IOException} naming the file and the problem; never another
 * exception, a hang or an allocation sized by the input. The seeds are packages {@code RpmWriter}
 * made. Runs on its seeds with the tests; {@code FuzzCampaignTest} fuzzes it.
 */
class RpmReaderFuzzTest {
    @FuzzTest
    void rpms(byte[] input) {
        fuzzerTestOneInput(input);
    }

    /** The target the Jazzer command line calls. */
    public static void fuzzerTestOneInput(byte[] input) {
        try {
            PackageReader.read(new ByteArrayInputStream(input), null, "fuzz.rpm", "Packages/fuzz.rpm", 0);
        } catch (IOException expected) {
            // not an .rpm Cutter can index, said so
        }
    }
}
