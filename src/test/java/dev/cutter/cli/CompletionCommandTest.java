package dev.cutter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cutter completion}: each script loaded by its own shell, which then completes commands and options. */
class CompletionCommandTest {
    @TempDir
    Path dir;

    private Path script(String shell) throws Exception {
        CliTest.Result result = CliTest.run("completion", shell);
        assertThat(result.code()).as(result.err()).isZero();
        Path file = dir.resolve("cutter." + shell);
        Files.writeString(file, result.out());
        return file;
    }

    private static String shell(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ":\n" + out).isZero();
        return out;
    }

    @Test
    void bashRegistersTheCompletionAndCompletesCommandsAndOptions() throws Exception {
        Path script = script("bash");

        assertThat(shell("bash", "-c", "source " + script + "; complete -p cutter")).contains("complete").endsWith("cutter\n");
        String commands = shell("bash", "-c", "source " + script + "; COMP_WORDS=(cutter rel); COMP_CWORD=1; COMP_LINE='cutter rel';"
                + " COMP_POINT=${#COMP_LINE}; $(complete -p cutter | sed -E 's/.* -F ([^ ]+) .*/\\1/') cutter rel cutter;"
                + " printf '%s\\n' \"${COMPREPLY[@]}\"");
        assertThat(commands.lines()).contains("release", "releases").doesNotContain("plan");
        String options = shell("bash", "-c", "source " + script + "; COMP_WORDS=(cutter emit --mat); COMP_CWORD=2;"
                + " COMP_LINE='cutter emit --mat'; COMP_POINT=${#COMP_LINE};"
                + " $(complete -p cutter | sed -E 's/.* -F ([^ ]+) .*/\\1/') cutter --mat emit; printf '%s\\n' \"${COMPREPLY[@]}\"");
        assertThat(options.lines()).contains("--matrix");
    }

    @Test
    void zshLoadsTheSameScriptThroughBashcompinit() throws Exception {
        Path script = script("zsh");
        Tools.require("zsh", "zsh");

        String registered = shell("zsh", "-f", "-c", "autoload -U +X compinit && compinit -u; source " + script
                + "; print -r -- ${_comps[cutter]}");
        assertThat(registered.strip()).isNotEmpty();
    }

    @Test
    void fishCompletesCommandsSubcommandsAndOptions() throws Exception {
        Path script = script("fish");
        Tools.require("fish", "fish");

        String top = shell("fish", "--no-config", "-c", "source " + script + "; complete -C 'cutter rel'");
        assertThat(top.lines().map(l -> l.split("\t")[0])).contains("release", "releases").doesNotContain("plan");
        String sub = shell("fish", "--no-config", "-c", "source " + script + "; complete -C 'cutter runs '");
        assertThat(sub.lines().map(l -> l.split("\t")[0])).contains("list", "show", "logs", "watch").doesNotContain("release");
        String options = shell("fish", "--no-config", "-c", "source " + script + "; complete -C 'cutter emit --mat'");
        assertThat(options.lines().map(l -> l.split("\t")[0])).containsExactly("--matrix");
    }

    @Test
    void anUnknownShellIsBadInput() {
        CliTest.Result result = CliTest.run("completion", "powershell");

        assertThat(result.code()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(result.err()).contains("the shells are bash, zsh and fish");
    }
}
