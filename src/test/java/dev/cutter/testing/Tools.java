package dev.cutter.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real programs tests drive; a missing one fails the test with the command that installs it. */
public final class Tools {
    private Tools() {}

    /** The path of {@code program} on PATH, or an AssertionError naming the package to install. */
    public static Path require(String program, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(program + " is not installed; run scripts/setup (or: apt-get install -y " + debianPackage + ")");
    }

    /** A program scripts/setup installs from the npm registry into .tools/npm, or an AssertionError saying to run it. */
    public static Path npm(String program) {
        Path candidate = Path.of(".tools", "npm", "node_modules", ".bin", program).toAbsolutePath();
        if (Files.isExecutable(candidate)) {
            return candidate;
        }
        throw new AssertionError(program + " is not installed in .tools/npm; run scripts/setup (it installs it with npm)");
    }
}
