package dev.cutter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.ledger.JobSeed;
import dev.cutter.ledger.Ledger;
import dev.cutter.ledger.NewRun;
import dev.cutter.ledger.Run;
import dev.cutter.ledger.RunKind;
import dev.cutter.ledger.RunState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cutter ledger prune}: the logs of runs ended before the kept days go; a bad count is bad input. */
class LedgerCommandTest {
    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {}

    Result cutter(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Cutter.commandLine(new PrintWriter(out), new PrintWriter(err), args).execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void pruneDropsTheLogsOfRunsEndedBeforeTheKeptDays() {
        String ledger = dir.resolve("ledger.db").toString();
        String old;
        try (Ledger l = Ledger.open(ledger, Clock.fixed(Instant.now().minus(Duration.ofDays(40)), ZoneOffset.UTC))) {
            Run run = l.startRun(new NewRun(RunKind.RELEASE, "app", "1.0.0", "v1.0.0", "stable", "sha256:" + "ab".repeat(32), "{}",
                    List.of(new JobSeed("build/app", "build")), "host", 1));
            l.log(run.id(), "build/app", "stdout", List.of("one", "two", "three"));
            l.finishRun(run.id(), RunState.SUCCEEDED);
            old = run.id();
        }
        Result dry = cutter("ledger", "prune", "--keep-days", "30", "--dry-run", "--json", "--ledger", ledger);
        assertThat(dry.exit()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("\"runs\" : 1").contains("\"logLines\" : 3").contains("\"dryRun\" : true");
        assertThat(cutter("ledger", "prune", "--keep-days", "50", "--ledger", ledger).out()).startsWith("dropped 0 log lines of 0 runs");
        Result pruned = cutter("ledger", "prune", "--keep-days", "30", "--ledger", ledger);
        assertThat(pruned.out()).startsWith("dropped 3 log lines of 1 runs");
        try (Ledger l = Ledger.open(ledger, Clock.systemUTC())) {
            assertThat(l.logs(old, Optional.empty(), 0, 10)).isEmpty();
            assertThat(l.run(old)).isPresent();
        }
        Result bad = cutter("ledger", "prune", "--keep-days", "-1", "--ledger", ledger);
        assertThat(bad.exit()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(bad.err()).contains("--keep-days -1");
    }
}
