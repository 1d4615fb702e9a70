package dev.cutter.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalProcessRunnerTest {
    static final ProcessRunner RUNNER = ProcessRunner.local();

    @Test
    void feedsTheInputAndKeepsBothOutputsApart() throws Exception {
        Result result = RUNNER.run(Command.of(List.of("/bin/sh", "-c", "cat; echo oops >&2; exit 3"), Duration.ofSeconds(10))
                .input("hello\n"));
        assertThat(result).isEqualTo(new Result(3, "hello\n", "oops\n"));
        assertThat(result.ok()).isFalse();
    }

    @Test
    void mergesErrorIntoOutputWhenAsked() throws Exception {
        Result result = RUNNER.run(Command.of(List.of("/bin/sh", "-c", "echo a; echo b >&2"), Duration.ofSeconds(10)).mergingErr());
        assertThat(result.out()).contains("a\n").contains("b\n");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void runsInItsDirectoryWithItsVariables(@TempDir Path dir) throws Exception {
        Result result = RUNNER.run(Command.of(List.of("/bin/sh", "-c", "pwd; echo $GREETING"), Duration.ofSeconds(10)).in(dir)
                .with(Map.of("GREETING", "hi")));
        assertThat(result.out()).isEqualTo(dir.toRealPath() + "\nhi\n");
    }

    @Test
    void clearedEnvironmentHoldsOnlyWhatTheCommandSets() throws Exception {
        Command command = new Command(List.of("/usr/bin/env"), java.util.Optional.empty(), Map.of("ONLY", "this"), true,
                java.util.Optional.empty(), false, Duration.ofSeconds(10));
        assertThat(RUNNER.run(command).out()).isEqualTo("ONLY=this\n");
    }

    @Test
    void killsAProgramThatRunsOutOfTime() {
        assertThatThrownBy(() -> RUNNER.run(Command.of(List.of("sleep", "30"), Duration.ofMillis(200))))
                .isInstanceOf(ProcessRunner.TimedOut.class).hasMessageContaining("sleep");
    }

    @Test
    void saysWhenAProgramCannotBeStarted() {
        assertThatThrownBy(() -> RUNNER.run(Command.of(List.of("no-such-program-here"), Duration.ofSeconds(10))))
                .isInstanceOf(ProcessRunner.CannotStart.class).hasMessageContaining("no-such-program-here");
    }
}
