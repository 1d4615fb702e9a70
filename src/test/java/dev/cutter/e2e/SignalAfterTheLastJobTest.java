package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.cutter.app.Services;
import dev.cutter.ledger.JobState;
import dev.cutter.ledger.Ledger;
import dev.cutter.ledger.RunState;
import dev.cutter.plan.Job;
import dev.cutter.plan.ReleaseRequest;
import dev.cutter.run.Cancellation;
import dev.cutter.run.Outcome;
import dev.cutter.run.RunListener;
import dev.cutter.run.RunOptions;
import dev.cutter.spec.Spec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM (a CI runner cancelling its job, a deployment tool stopping a service) that reaches a
 * release once every job has ended changes nothing of how it ended: the run is recorded with its
 * real outcome, not as cancelled. A signal while a job still runs cancels, as before
 * ({@link EngineEndToEndTest#anInterruptedReleaseStopsItsCommandsIsRecordedAsCancelledAndResumes}).
 */
@Tag("e2e")
class SignalAfterTheLastJobTest {
    @TempDir
    Path dir;

    static final String SPEC = """
            project: demo
            builds:
              - id: app
                run: mkdir -p out && echo app > out/app
                outputs: [ out/app ]
            notify:
              - id: hook
                webhook: "http://127.0.0.1:%d/hook"
            """;

    /**
     * The real process: the release's last job is a notification, and its receiver sends the
     * release SIGTERM and answers only after the signal has been handled. The notification ends
     * well, so every job did.
     */
    @Test
    void sigtermWhileTheLastJobEndsWellLeavesTheRunRecordedAsReleased() throws Exception {
        AtomicReference<Process> release = new AtomicReference<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            try {
                new ProcessBuilder("kill", "-TERM", Long.toString(release.get().pid())).start().waitFor();
                Thread.sleep(500); // the JVM runs its shutdown hooks at once: Cutter's cancellation has fired
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        try {
            Files.writeString(dir.resolve("cutter.yaml"), SPEC.formatted(receiver.getAddress().getPort()));
            Path log = dir.resolve("release.log");
            release.set(CutterProcess.start(dir, Map.of(), log, "release", "--version", "1.0.0")); // a process: SIGTERM is sent to it
            assertThat(release.get().waitFor(60, TimeUnit.SECONDS)).isTrue();
            String output = Files.readString(log);
            assertThat(output).contains("done      notify/hook").contains("released demo 1.0.0").doesNotContain("cancelled");
            try (Ledger ledger = Ledger.open(dir.resolve(".cutter/ledger.db").toString())) {
                assertThat(ledger.latestRun().orElseThrow().state()).as(output).isEqualTo(RunState.SUCCEEDED);
            }
            CutterProcess.Result again = CutterProcess.inProcess(dir, Map.of(), "release", "--version", "1.0.0");
            assertThat(again.out()).as("a released version is not released again").contains("nothing to do");
        } finally {
            receiver.stop(0);
        }
    }

    /**
     * In process, the signal's own effect (the CLI's shutdown hook fires the run's cancellation)
     * exactly when the last job has ended, before the run is summed up.
     */
    @Test
    void aCancellationAfterTheLastJobEndedLeavesTheRunRecordedAsReleased() throws Exception {
        Files.writeString(dir.resolve("cutter.yaml"), """
                project: demo
                builds:
                  - id: one
                    run: echo one
                  - id: two
                    needs: [one]
                    run: echo two
                """);
        Services services = new Services(Map.of("PATH", System.getenv("PATH")), Clock.systemUTC(), dir);
        Spec spec = services.specLoader().load(dir.resolve("cutter.yaml"));
        Cancellation cancellation = new Cancellation();
        AtomicInteger ended = new AtomicInteger();
        RunListener signalAtTheEnd = new RunListener() {
            @Override
            public void jobFinished(Job job, JobState state, String detail, Duration elapsed) {
                if (ended.incrementAndGet() == 2) {
                    cancellation.cancel("interrupted");
                }
            }
        };
        try (Ledger ledger = services.ledger(dir.resolve(".cutter/ledger.db").toString())) {
            Outcome outcome = services.releaser(ledger, signalAtTheEnd, cancellation, false)
                    .release(spec, ReleaseRequest.ofVersion("1.0.0"), RunOptions.defaults());
            assertThat(cancellation.isCancelled()).isTrue();
            assertThat(outcome.status()).as(outcome.message()).isEqualTo(Outcome.Status.RELEASED);
            assertThat(ledger.run(outcome.runId()).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
        }
    }
}
