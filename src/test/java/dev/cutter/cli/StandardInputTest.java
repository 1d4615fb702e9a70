package dev.cutter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.app.Services;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What a command reads on standard input is the input its command line was given, as it prints to the writers it was given. */
@Timeout(120)
class StandardInputTest {
    record Result(int code, String out, String err) {}

    @TempDir
    Path dir;

    Result run(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Map<String, String> env = Map.of("HOME", dir.toString(), "DOCKER_CONFIG", dir.resolve("docker").toString(),
                "PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        int code = Cutter.commandLine(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), new PrintWriter(out, true),
                new PrintWriter(err, true), new Services(env, Clock.systemUTC(), dir)).execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void loginTakesThePasswordFromTheInputItsCommandLineWasGiven() {
        Result empty = run("", "login", "127.0.0.1:1", "-u", "someone", "--password-stdin");
        assertThat(empty.code()).as(empty.err()).isEqualTo(2);
        assertThat(empty.err()).contains("standard input held no password");

        Result given = run("pw\n", "login", "127.0.0.1:1", "-u", "someone", "--password-stdin");
        assertThat(given.err()).as("the password was read; the registry was not there").contains("login to 127.0.0.1:1 failed")
                .doesNotContain("held no password").doesNotContain("pw\n");
        assertThat(given.code()).as(given.err()).isEqualTo(4);
    }

    @Test
    void aCopyBatchFromStandardInputIsReadFromTheInputItsCommandLineWasGiven() {
        Result result = run("# mirror\nonly-a-source\n", "copy", "--batch", "-");

        assertThat(result.code()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).contains("-:2: a copy needs a source and at least one destination");
    }
}
