package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `cutter release` as a process: exit codes, secrets, two releases of one version at once. */
@Tag("e2e")
class EngineEndToEndTest {
    @TempDir
    Path dir;

    static final Map<String, String> ENV = Map.of("DEMO_SECRET", "hunter2-very-secret");

    void spec(String text) throws Exception {
        Files.writeString(dir.resolve("cutter.yaml"), text);
    }

    static final String SLOW = """
            project: demo
            builds:
              - id: app
                run: mkdir -p out && sleep 3 && echo "built with $TOKEN" && echo app > out/app
                env: { TOKEN: "${env:DEMO_SECRET}" }
                outputs: [ out/app ]
            """;

    @Test
    void twoReleasesOfOneVersionStartedAtOnceOnePublishesTheOtherExitsThree() throws Exception {
        spec(SLOW);
        Process first = CutterProcess.start(dir, ENV, dir.resolve("first.log"), "release", "--version", "1.0.0"); // two processes at once
        Thread.sleep(1500); // the first has claimed the version and is building
        CutterProcess.Result second = CutterProcess.run(dir, ENV, "release", "--version", "1.0.0"); // the second of the two
        assertThat(first.waitFor(2, TimeUnit.MINUTES)).isTrue();

        assertThat(first.exitValue()).isZero();
        assertThat(second.exit()).isEqualTo(3);
        assertThat(second.out() + second.err()).contains("is releasing demo 1.0.0 (tag v1.0.0) right now");
        CutterProcess.Result again = CutterProcess.inProcess(dir, ENV, "release", "--version", "1.0.0");
        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("already released by run").contains("nothing to do");
    }

    @Test
    void aSecretFromTheEnvironmentNeverAppearsInTheLedgerTheLogsOrTheOutput() throws Exception {
        spec(SLOW.replace("sleep 3", "true"));

        // a process: no secret on either stream, whoever writes it, not only in what the CLI's writers get
        CutterProcess.Result result = CutterProcess.run(dir, ENV, "release", "--version", "1.0.0", "--verbose");
        CutterProcess.Result logs = CutterProcess.inProcess(dir, ENV, "runs", "logs", "last");
        CutterProcess.Result show = CutterProcess.inProcess(dir, ENV, "runs", "show", "last", "--json");
        CutterProcess.Result watch = CutterProcess.inProcess(dir, ENV, "runs", "watch", "last", "--json");
        assertThat(watch.out()).contains("{\"attempts\":1,\"job\":\"build/app\",\"state\":\"succeeded\"}")
                .contains("\"line\":\"built with ***\"").contains("\"state\":\"succeeded\"}");

        assertThat(result.exit()).isZero();
        assertThat(result.out()).contains("built with ***");
        assertThat(logs.out()).contains("built with ***");
        assertThat(show.exit()).as(show.err()).isZero();
        assertThat(show.out()).contains("\"jobs\"").contains("\"started\" : \"20");
        for (String text : List.of(result.out(), result.err(), logs.out(), show.out(), watch.out())) {
            assertThat(text).doesNotContain("hunter2");
        }
        try (var files = Files.list(dir.resolve(".cutter"))) {
            for (Path file : files.toList()) {
                if (Files.isRegularFile(file)) {
                    assertThat(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1))
                            .as(file.toString()).doesNotContain("hunter2");
                }
            }
        }
    }

    @Test
    void exitCodesNameTheClassOfFailure() throws Exception {
        spec("project: demo\nbuilds:\n  - id: app\n    run: exit 7\n");
        // a process, once: the exit status as the shell sees it; the other classes of failure in this JVM
        assertThat(CutterProcess.run(dir, ENV, "release", "--version", "1.0.0").exit()).as("a job failed").isEqualTo(1);

        spec("project: demo\nbuilds:\n  - id: app\n    run: true\n    entrypiont: x\n");
        assertThat(CutterProcess.inProcess(dir, ENV, "release", "--version", "1.0.0").exit()).as("bad spec").isEqualTo(2);
        assertThat(CutterProcess.inProcess(dir, ENV, "release", "--tag", "1.0.0").exit()).as("tag outside the pattern").isEqualTo(2);

        spec("""
                project: demo
                builds:
                  - id: app
                    run: true
                notify:
                  - webhook: "http://127.0.0.1:9/hook"
                """);
        CutterProcess.Result unreachable = CutterProcess.inProcess(dir, ENV, "release", "--version", "1.0.0");
        assertThat(unreachable.exit()).as("a target cannot be reached").isEqualTo(4);
        assertThat(unreachable.out()).contains("to http://[masked] failed").doesNotContain("127.0.0.1:9");
    }

    @Test
    void anInterruptedReleaseStopsItsCommandsIsRecordedAsCancelledAndResumes() throws Exception {
        spec("""
                project: demo
                execution: { inherit-env: [NAP] }
                builds:
                  - id: slow
                    run: mkdir -p out && sleep "${NAP:-30.4711}" && echo done > out/slow
                    outputs: [ out/slow ]
                  - id: after
                    needs: [slow]
                    run: echo after
                """);
        Process release = CutterProcess.startInterruptible(dir, ENV, dir.resolve("release.log"), "release", "--version", "1.0.0"); // a process: Ctrl-C's SIGINT is sent to it
        CrashResumeTest.awaitFirstJob(release, dir.resolve("release.log"));
        Thread.sleep(300); // the build's sleep is running
        new ProcessBuilder("kill", "-INT", Long.toString(release.pid())).start().waitFor();

        assertThat(release.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
        assertThat(release.exitValue()).isEqualTo(130);
        assertThat(dev.cutter.testing.Processes.awaitNone("sleep 30.4711")).as("the build's children are gone").isEmpty();
        CutterProcess.Result show = CutterProcess.inProcess(dir, ENV, "runs", "show", "last");
        assertThat(show.out()).contains("cancelled after").containsPattern("build/slow +cancelled");

        CutterProcess.Result resumed = CutterProcess.inProcess(dir, Map.of("NAP", "0"), "release", "--resume", "last");
        assertThat(resumed.exit()).as(resumed.out() + resumed.err()).isZero();
        assertThat(resumed.out()).contains("released demo 1.0.0");
    }
}
