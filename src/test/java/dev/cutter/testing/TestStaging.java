package dev.cutter.testing;

import dev.cutter.content.Staging;
import java.nio.file.Path;

/** The staging tests make packages, repositories, stores and pins through, as a run named {@code test} would. */
public final class TestStaging {
    private TestStaging() {}

    /** Files are made in {@code dir/.cutter/staging/test} before they are moved into place. */
    public static Staging in(Path dir) {
        return Staging.forRun(dir, "test");
    }
}
