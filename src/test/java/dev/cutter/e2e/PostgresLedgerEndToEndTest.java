package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.testing.Postgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** `cutter release` processes sharing one PostgreSQL ledger, as CI jobs on several machines would. */
@Tag("e2e")
class PostgresLedgerEndToEndTest {
    @RegisterExtension
    static final Postgres POSTGRES = new Postgres();

    @TempDir
    Path dir;

    @Test
    void twoReleasesOfOneVersionAtOnceOnOnePostgresLedgerOnePublishesTheOtherExitsThree() throws Exception {
        Files.writeString(dir.resolve("cutter.yaml"), """
                project: demo
                builds:
                  - id: app
                    run: mkdir -p out && sleep 3 && echo app > out/app
                    outputs: [ out/app ]
                """);
        String ledger = POSTGRES.url();
        Map<String, String> env = Map.of();

        List<Process> releases = List.of( // two processes at once, each with its own connections to the one ledger
                CutterProcess.start(dir, env, dir.resolve("a.log"), "release", "--version", "1.0.0", "--ledger", ledger),
                CutterProcess.start(dir, env, dir.resolve("b.log"), "release", "--version", "1.0.0", "--ledger", ledger));
        for (Process release : releases) {
            assertThat(release.waitFor(2, TimeUnit.MINUTES)).isTrue();
        }
        List<String> logs = List.of(Files.readString(dir.resolve("a.log")), Files.readString(dir.resolve("b.log")));
        List<Integer> exits = releases.stream().map(Process::exitValue).toList();
        assertThat(exits).as(String.join("\n----\n", logs)).containsExactlyInAnyOrder(0, 3);
        String loser = logs.get(exits.indexOf(3));

        CutterProcess.Result list = CutterProcess.inProcess(dir, env, "runs", "list", "--ledger", ledger);
        assertThat(list.exit()).as(list.err()).isZero();
        String winner = list.out().lines().filter(line -> line.contains(" succeeded ") && line.contains(" demo "))
                .map(line -> line.split("\\s+")[0]).findFirst().orElseThrow(() -> new AssertionError(list.out()));
        assertThat(loser).contains("run " + winner).contains("is releasing demo 1.0.0 (tag v1.0.0) right now");
        for (String text : List.of(logs.get(0), logs.get(1), list.out(), list.err())) {
            assertThat(text).doesNotContain(":" + POSTGRES.password() + "@");
        }
        assertThat(dir.resolve(".cutter").resolve("ledger.db")).as("no SQLite ledger beside the spec").doesNotExist();

        CutterProcess.Result again = CutterProcess.inProcess(dir, Map.of("CUTTER_LEDGER", ledger), "release", "--version", "1.0.0");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).contains("already released by run " + winner);
    }
}
