package dev.cutter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Which classes a command loads: {@code cutter args} in a JVM of its own that logs every class it loads. */
final class ClassesLoaded {
    private ClassesLoaded() {}

    /** The names of the classes {@code cutter args} loads, run in {@code dir}; it must succeed. */
    static List<String> by(Path dir, String... args) throws Exception {
        Path log = Files.createTempFile(dir, "classes", ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info:file=" + log, "-cp", System.getProperty("java.class.path"), Cutter.class.getName()));
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("cutter " + String.join(" ", args) + " ended").isTrue();
        assertThat(child.exitValue()).as("cutter " + String.join(" ", args) + ": " + output).isZero();
        List<String> classes = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            int start = line.indexOf("] ", line.indexOf("[class,load]"));
            if (start > 0) {
                String rest = line.substring(start + 2);
                classes.add(rest.substring(0, rest.indexOf(' ') > 0 ? rest.indexOf(' ') : rest.length()));
            }
        }
        assertThat(classes).as("the class-loading log of cutter " + String.join(" ", args)).isNotEmpty();
        return classes;
    }
}
