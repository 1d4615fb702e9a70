package dev.cutter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cutter token}: a token is printed once, kept as a hash, listed without it, revoked by id. */
class TokenCommandTest {
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
    void aTokenIsShownOnceKeptOnlyAsItsHashListedWithoutItAndRevoked() throws Exception {
        String ledger = dir.resolve("ledger.db").toString();
        Result created = cutter("token", "create", "--role", "releaser", "--channels", "stable,rc", "--name", "ci-bot", "--ledger", ledger);
        assertThat(created.exit()).as(created.err()).isZero();
        String token = created.out().strip();
        assertThat(token).matches("cutter_t[0-9a-f]{8}_[A-Za-z0-9_-]{43}");
        assertThat(created.err()).contains("releaser, channels stable,rc").contains("shown this once");
        String id = token.split("_")[1];

        Result list = cutter("token", "list", "--ledger", ledger, "--json");
        assertThat(list.out()).contains("\"id\" : \"" + id + "\"").contains("ci-bot").doesNotContain(token.substring(18));
        assertThat(new String(Files.readAllBytes(Path.of(ledger)), StandardCharsets.ISO_8859_1)).doesNotContain(token.substring(18));

        assertThat(cutter("token", "revoke", id, "--ledger", ledger).exit()).isZero();
        Result again = cutter("token", "revoke", id, "--ledger", ledger);
        assertThat(again.exit()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(again.err()).contains("no live token " + id);
        assertThat(cutter("token", "list", "--ledger", ledger).out()).contains("revoked");
        Result badRole = cutter("token", "create", "--role", "boss", "--name", "x", "--ledger", ledger);
        assertThat(badRole.exit()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(badRole.err()).contains("give viewer, releaser or admin");
    }
}
