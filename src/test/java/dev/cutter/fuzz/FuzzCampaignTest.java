package dev.cutter.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Coverage-guided fuzzing of every parser that reads what a user or a server hands Cutter, each
 * target in its own process through Jazzer's libFuzzer-compatible command line (Jazzer fuzzes one
 * target per JVM). Each target runs {@code -Dcutter.fuzz.seconds} (5 by default: the CI form;
 * {@code bench/fuzz} runs them longer) from its committed seeds and the corpus kept under
 * {@code target/fuzz-corpus}; a finding fails the test with the crashing input's path and the
 * stack trace. A finding becomes a regression test by moving the input into the target's {@code
 * *FuzzTestInputs} resource directory, where its {@code @FuzzTest} replays it with every build.
 */
@Tag("e2e")
class FuzzCampaignTest {
    private static final Pattern DONE = Pattern.compile("Done (\\d+) runs in (\\d+) second");
    private static final Pattern COVERAGE = Pattern.compile("#\\d+\\s+\\w+\\s+cov: (\\d+)");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev.cutter.spec.SpecFuzzTest", "dev.cutter.version.VersionFuzzTest",
            "dev.cutter.oci.ManifestFuzzTest", "dev.cutter.repo.apt.DebReaderFuzzTest", "dev.cutter.repo.yum.RpmReaderFuzzTest",
            "dev.cutter.server.ApiBodiesFuzzTest"})
    void findsNothing(String target) throws Exception {
        int seconds = Integer.getInteger("cutter.fuzz.seconds", 5);
        String simple = target.substring(target.lastIndexOf('.') + 1);
        Path seeds = Path.of("src/test/resources", target.substring(0, target.lastIndexOf('.')).replace('.', '/'), simple + "Inputs");
        Path corpus = Files.createDirectories(Path.of("target/fuzz-corpus", simple));
        Path findings = Files.createDirectories(Path.of("target/fuzz-findings", simple));
        Path log = findings.resolve("jazzer.log");
        // libFuzzer's -rss_limit_mb reads the process's peak RSS (getrusage), and Linux carries that peak
        // across fork and exec: a JVM started straight from this one begins at this JVM's whole RSS, which
        // a long test run takes past 2 GB. A shell that forks the JVM (it is not the shell's last word, so
        // the shell cannot exec it) gives it a peak of its own, and the limit measures Jazzer alone.
        List<String> command = new ArrayList<>(List.of("sh", "-c", "\"$@\"; exit $?", "jazzer",
                ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), "--enable-native-access=ALL-UNNAMED",
                "-Xmx1g", "-XX:+EnableDynamicAgentLoading", "com.code_intelligence.jazzer.Jazzer",
                "--target_class=" + target, "--instrumentation_includes=dev.cutter.**",
                // a spec's regex pins are regular expressions by design, compiled and refused by name when
                // invalid: Jazzer's regex-injection hook reports any PatternSyntaxException, caught or not
                "--disabled_hooks=com.code_intelligence.jazzer.sanitizers.RegexInjection",
                "--reproducer_path=" + findings, "-artifact_prefix=" + findings + "/",
                "-max_total_time=" + seconds, "-timeout=10", "-rss_limit_mb=2048", "-print_final_stats=1",
                corpus.toString()));
        try (var dirs = Files.list(seeds)) {
            dirs.filter(Files::isDirectory).forEach(d -> command.add(d.toString()));
        }
        Process jazzer = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!jazzer.waitFor(seconds + 120L, TimeUnit.SECONDS)) {
            jazzer.descendants().forEach(ProcessHandle::destroyForcibly);
            jazzer.destroyForcibly();
            throw new AssertionError(target + ": Jazzer did not stop " + seconds + " s after it started; see " + log);
        }
        String output = Files.readString(log);
        Matcher done = DONE.matcher(output);
        String figures = done.find() ? done.group(1) + " executions in " + done.group(2) + " s" : "no final figures";
        int coverage = 0;
        for (Matcher c = COVERAGE.matcher(output); c.find(); ) {
            coverage = Integer.parseInt(c.group(1));
        }
        System.out.printf("fuzz %s: %s, coverage %d edges, corpus %d inputs%n", simple, figures, coverage, count(corpus));
        assertThat(jazzer.exitValue()).as(target + " found a crash: the input is in " + findings
                + "; move it into " + seeds + "/<method>/ as a regression test, then fix the code.\n" + tail(output)).isZero();
        assertThat(done.find(0)).as(target + " ran no fuzzing: " + tail(output)).isTrue();
        assertThat(Long.parseLong(done.group(1))).as("executions of " + target).isPositive();
    }

    private static long count(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            return files.count();
        }
    }

    private static String tail(String output) {
        List<String> lines = output.lines().filter(l -> !l.startsWith("WARN") && !l.startsWith("INFO")
                && !l.contains("Unsupported class file major version")).toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
