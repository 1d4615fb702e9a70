package dev.cutter.server;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the API's request bodies with any text: each parses to a typed request or a {@link
 * Refusal} 400 with a message, never another exception, another status, a hang or a stack
 * overflow. Runs on its seeds with the tests; {@code FuzzCampaignTest} fuzzes it.
 */
class ApiBodiesFuzzTest {
    @FuzzTest
    void apiBodies(byte[] input) {
        fuzzerTestOneInput(input);
    }

    /** The target the Jazzer command line calls: the same text as a release body and as a promotion body. */
    public static void fuzzerTestOneInput(byte[] input) {
        String json = new String(input, StandardCharsets.UTF_8);
        parse(() -> ApiBodies.release(json));
        parse(() -> ApiBodies.promotion(json));
    }

    private static void parse(Runnable parsing) {
        try {
            parsing.run();
        } catch (Refusal refusal) {
            if (refusal.status() != 400 || refusal.getMessage() == null || refusal.getMessage().isBlank()) {
                throw new AssertionError("a refusal of a body must be a 400 with a message, not " + refusal.status() + " "
                        + refusal.getMessage(), refusal);
            }
        }
    }
}
