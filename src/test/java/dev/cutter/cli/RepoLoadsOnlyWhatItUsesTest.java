package dev.cutter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.pkg.deb.SampleDebs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cutter repo index} and {@code repo add} are whole processes measured against C tools
 * (bench/repo-index.sh), so a class they load and do not use is start-up time: unsigned, they
 * load no JSON library (their output is text), no OpenPGP library and no git library. Each runs
 * in a JVM of its own that logs the classes it loads. Of Jackson, only the type {@code --json}'s
 * {@code JsonOption.mapper()} returns and its supertypes are loaded, not initialised: picocli reads
 * the methods of every option class, and a method's return type is loaded with it.
 */
class RepoLoadsOnlyWhatItUsesTest {
    private static final List<String> UNUSED = List.of("com.fasterxml.jackson.", "org.bouncycastle.", "org.eclipse.jgit.");
    private static final List<String> SIGNATURE_ONLY = List.of("com.fasterxml.jackson.databind.ObjectMapper",
            "com.fasterxml.jackson.core.ObjectCodec", "com.fasterxml.jackson.core.TreeCodec", "com.fasterxml.jackson.core.Versioned");

    @TempDir
    Path tmp;

    @Test
    void anUnsignedIndexAndAddLoadNoJsonOpenPgpOrGitLibrary() throws Exception {
        Path pool = Files.createDirectories(tmp.resolve("apt/pool/main"));
        SampleDebs.write(pool, "tool", "1.0", "amd64");
        Path newcomer = SampleDebs.write(Files.createDirectories(tmp.resolve("new")), "tool", "1.1", "amd64");

        assertThat(loaded("repo", "index", "--dir", tmp.resolve("apt").toString(), "--type", "apt", "--compression", "gz"))
                .as("unused classes that repo index loaded").filteredOn(RepoLoadsOnlyWhatItUsesTest::unused).isEmpty();
        assertThat(loaded("repo", "add", "--dir", tmp.resolve("apt").toString(), "--compression", "gz", newcomer.toString()))
                .as("unused classes that repo add loaded").filteredOn(RepoLoadsOnlyWhatItUsesTest::unused).isEmpty();
        assertThat(tmp.resolve("apt/dists/stable/main/binary-amd64/Packages")).content().contains("Version: 1.1");
    }

    private static boolean unused(String className) {
        return UNUSED.stream().anyMatch(className::startsWith) && !SIGNATURE_ONLY.contains(className);
    }

    /** The names of the classes {@code cutter args} loads, in a JVM of its own; it must succeed. */
    private List<String> loaded(String... args) throws Exception {
        Path log = Files.createTempFile(tmp, "classes", ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info:file=" + log, "-cp", System.getProperty("java.class.path"), Cutter.class.getName()));
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).directory(tmp.toFile()).redirectErrorStream(true).start();
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
