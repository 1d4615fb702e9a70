package dev.cutter.cli;

import dev.cutter.ledger.AccessRecords;
import dev.cutter.ledger.ApiToken;
import dev.cutter.ledger.LedgerParts;
import dev.cutter.plan.PlanException;
import dev.cutter.server.Role;
import dev.cutter.server.Tokens;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cutter token create|list|revoke}: the server's API tokens, kept (hashed) in the ledger. */
@Command(name = "token", description = "Manage the API tokens of `cutter serve`.",
        subcommands = {TokenCommand.Create.class, TokenCommand.List.class, TokenCommand.Revoke.class})
final class TokenCommand extends CommandGroup {

    static String actor() {
        return "cli (" + System.getProperty("user.name", "?") + ")";
    }

    @Command(name = "create", description = "Make a token and print it once; the ledger keeps only its hash.")
    static final class Create extends OnLedgerParts {
        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "viewer, releaser or admin.")
        String role;

        @Option(names = "--channels", split = ",", paramLabel = "CHANNEL", description = "The channels it may release or promote to"
                + " (default: all); e.g. --channels stable,rc.")
        java.util.List<String> channels = new ArrayList<>();

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "Who or what it is for, e.g. ci-bot or alice.")
        String name;

        /** {@code --role}, parsed before the ledger is opened. */
        private Role parsed;

        @Override
        void check() {
            try {
                parsed = Role.parse(role);
            } catch (IllegalArgumentException e) {
                throw new PlanException("--role " + e.getMessage());
            }
        }

        @Override
        int call(LedgerParts ledger, PrintWriter out) {
            AccessRecords access = ledger.access();
            Tokens.Issued issued = new Tokens(access, Clock.systemUTC()).create(name, parsed, channels);
            access.audit(actor(), "token create", issued.record().id(), "created " + parsed.label() + " token '" + name
                    + "' for channels " + String.join(",", issued.record().channels()), "cli");
            out.println(issued.secret());
            project.err().println("token " + issued.record().id() + " (" + parsed.label() + ", channels "
                    + String.join(",", issued.record().channels()) + "): shown this once; the ledger keeps only its hash");
            return ExitCode.OK;
        }
    }

    @Command(name = "list", description = "Every token: id, name, role, channels, state (never the token).")
    static final class List extends OnLedgerParts {
        @Mixin
        JsonOption json;

        @Override
        int call(LedgerParts ledger, PrintWriter out) {
            java.util.List<ApiToken> tokens = ledger.access().tokens();
            json.print(out, rows(tokens), () -> {
                for (ApiToken t : tokens) {
                    out.printf("%-10s %-9s %-20s %-24s %s%n", t.id(), t.role(), t.name(), String.join(",", t.channels()),
                            t.revoked().map(r -> "revoked " + r).orElse("live since " + t.created()));
                }
            });
            return ExitCode.OK;
        }

        /** The tokens as {@code --json} prints them. */
        private static java.util.List<Map<String, Object>> rows(java.util.List<ApiToken> tokens) {
            java.util.List<Map<String, Object>> rows = new ArrayList<>();
            for (ApiToken t : tokens) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", t.id());
                row.put("name", t.name());
                row.put("role", t.role());
                row.put("channels", t.channels());
                row.put("created", t.created().toString());
                t.revoked().ifPresent(r -> row.put("revoked", r.toString()));
                rows.add(row);
            }
            return rows;
        }
    }

    @Command(name = "revoke", description = "Revoke a token: its API calls and browser sessions stop at once.")
    static final class Revoke extends OnLedgerParts {
        @Parameters(paramLabel = "ID", description = "The token's id (t…), as `cutter token list` shows it.")
        String id;

        @Override
        int call(LedgerParts ledger, PrintWriter out) {
            AccessRecords access = ledger.access();
            if (!access.revokeToken(id)) {
                throw new PlanException("no live token " + id + " in the ledger; `cutter token list` shows them");
            }
            access.audit(actor(), "token revoke", id, "revoked", "cli");
            out.println("revoked token " + id);
            return ExitCode.OK;
        }
    }
}
