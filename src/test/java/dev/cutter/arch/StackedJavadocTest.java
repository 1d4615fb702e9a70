package dev.cutter.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No Javadoc comment stands over another one: only the last comment before a declaration is its
 * documentation, so the first is lost (and usually documents a method that moved away).
 */
class StackedJavadocTest {
    @Test
    void everyJavadocCommentIsFollowedByItsDeclaration() throws IOException {
        List<String> stacked = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                stacked.addAll(stackedIn(file));
            }
        }
        assertThat(stacked).as("Javadoc comments stacked over another").isEmpty();
    }

    /** {@code file:line} of each Javadoc comment that only blank lines separate from the one before it. */
    static List<String> stackedIn(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<String> found = new ArrayList<>();
        boolean inJavadoc = false;
        boolean afterJavadoc = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!inJavadoc && line.startsWith("/**")) {
                if (afterJavadoc) {
                    found.add(file + ":" + (i + 1));
                }
                inJavadoc = !line.endsWith("*/") || line.equals("/**");
                afterJavadoc = !inJavadoc;
            } else if (inJavadoc) {
                if (line.endsWith("*/")) {
                    inJavadoc = false;
                    afterJavadoc = true;
                }
            } else if (!line.isEmpty()) {
                afterJavadoc = false;
            }
        }
        return found;
    }
}
