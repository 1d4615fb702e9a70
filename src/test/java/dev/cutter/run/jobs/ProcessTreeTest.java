package dev.cutter.run.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real shells that fork, double-fork and trap signals, stopped as a cancelled job's command is. */
class ProcessTreeTest {
    @TempDir
    Path dir;

    /** Each test's sleeps have a length of their own, so pgrep finds only this test's processes. */
    private String sleeps;

    Process start(String command, String mark) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command).directory(dir.toFile());
        pb.environment().put(ProcessTree.MARK_VARIABLE, mark);
        pb.redirectOutput(dir.resolve("out.log").toFile()).redirectErrorStream(true);
        return pb.start();
    }

    void awaitFile(String name) throws InterruptedException {
        for (int i = 0; i < 200 && !Files.exists(dir.resolve(name)); i++) {
            Thread.sleep(25);
        }
        assertThat(dir.resolve(name)).as("the command got going").exists();
    }

    @AfterEach
    void noLeftovers() throws Exception {
        if (sleeps != null) {
            new ProcessBuilder("pkill", "-KILL", "-f", "sleep " + sleeps).start().waitFor();
        }
    }

    @Test
    void aDoubleForkedProcessThatInitAdoptedIsFoundByItsMarkAndStopped() throws Exception {
        sleeps = "41.3171";
        String mark = ProcessTree.newMark();
        Process shell = start("(sleep " + sleeps + " &) ; touch started; sleep " + sleeps, mark);
        awaitFile("started");
        assertThat(Processes.matching("^sleep " + sleeps).lines()).as("both sleeps run").hasSize(2);
        assertThat(ProcessTree.marked(mark)).as("the shell and both sleeps carry the mark").hasSizeGreaterThanOrEqualTo(3);

        ProcessTree.stop(shell, mark);

        assertThat(shell.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(Processes.awaitNone("sleep " + sleeps)).as("nothing is left, not even the orphan").isEmpty();
    }

    @Test
    void aShellThatKeepsStartingProcessesCannotOutrunTheFreeze() throws Exception {
        sleeps = "42.2293";
        String mark = ProcessTree.newMark();
        // a new sleeper every few milliseconds, each outliving the loop: the stop must catch the
        // ones started while it sweeps
        Process shell = start("touch started; while :; do sleep " + sleeps + " & sleep 0.005; done", mark);
        awaitFile("started");
        assertThat(Processes.awaitAtLeast("^sleep " + sleeps, 10)).as("the loop is starting sleepers").isGreaterThanOrEqualTo(10);

        ProcessTree.stop(shell, mark);

        assertThat(shell.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(Processes.awaitNone("sleep " + sleeps)).as("every sleeper is gone").isEmpty();
    }

    @Test
    void processesGetTermFirstAndCanCleanUp() throws Exception {
        sleeps = "43.1237";
        Process shell = start("trap 'echo bye > cleaned; exit 0' TERM; touch started; sleep " + sleeps + " & wait", ProcessTree.newMark());
        awaitFile("started");

        ProcessTree.stop(shell, "unused");

        assertThat(shell.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(dir.resolve("cleaned")).as("the trap ran").hasContent("bye");
        assertThat(Processes.awaitNone("sleep " + sleeps)).isEmpty();
    }

    @Test
    void whatIgnoresTermIsKilled() throws Exception {
        sleeps = "44.7781";
        Process shell = start("trap '' TERM; touch started; sleep " + sleeps + "; sleep " + sleeps, ProcessTree.newMark());
        awaitFile("started");

        long t0 = System.nanoTime();
        ProcessTree.stop(shell, "unused");

        assertThat(shell.waitFor(2, TimeUnit.SECONDS)).as("killed after TERM went unheard").isTrue();
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).as("within the grace period and a little").isLessThan(8);
        assertThat(Processes.awaitNone("sleep " + sleeps)).isEmpty();
    }

    @Test
    void markedFindsNothingForAMarkNoProcessCarries() {
        assertThat(ProcessTree.marked(ProcessTree.newMark())).isEmpty();
    }
}
