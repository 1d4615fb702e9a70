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
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cutter token create|list|revoke}: the server's API tokens, kept (hashed) in the ledger. */
@Command(name = "token", description = "Manage the API tokens of `cutter serve`.",
        subcommands = {TokenCommand.Create.class, TokenCommand.List.class, TokenCommand.Revoke.class})
final class TokenCommand extends CommandGroup {

    /** {@code project}'s ledger, with its access records. */
    static LedgerParts open(Project project, dev.cutter.app.Services services) {
        return services.ledgerParts(services.ledgerLocation(project.ledgerOption(), project.file()));
    }

    static String actor() {
        return "cli (" + System.getProperty("user.name", "?") + ")";
    }

    @Command(name = "create", description = "Make a token and print it once; the ledger keeps only its hash.")
    static final class Create implements Callable<Integer> {
        @Mixin
        Project project;

        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "viewer, releaser or admin.")
        String role;

        @Option(names = "--channels", split = ",", paramLabel = "CHANNEL", description = "The channels it may release or promote to"
                + " (default: all); e.g. --channels stable,rc.")
        java.util.List<String> channels = new ArrayList<>();

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "Who or what it is for, e.g. ci-bot or alice.")
        String name;

        @Override
        public Integer call() {
            PrintWriter out = project.out();
            Role parsed;
            try {
                parsed = Role.parse(role);
            } catch (IllegalArgumentException e) {
                throw new PlanException("--role " + e.getMessage());
            }
            try (LedgerParts ledger = open(project, project.services())) {
                AccessRecords access = ledger.access();
                Tokens.Issued issued = new Tokens(access, Clock.systemUTC()).create(name, parsed, channels);
                access.audit(actor(), "token create", issued.record().id(), "created " + parsed.label() + " token '" + name
                        + "' for channels " + String.join(",", issued.record().channels()), "cli");
                out.println(issued.secret());
                project.err().println("token " + issued.record().id() + " (" + parsed.label() + ", channels "
                        + String.join(",", issued.record().channels()) + "): shown this once; the ledger keeps only its hash");
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "list", description = "Every token: id, name, role, channels, state (never the token).")
    static final class List implements Callable<Integer> {
        @Mixin
        Project project;

        @Mixin
        JsonOption json;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = project.out();
            try (LedgerParts ledger = open(project, project.services())) {
                java.util.List<ApiToken> tokens = ledger.access().tokens();
                if (json.json) {
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
                    out.println(JsonOption.mapper().writeValueAsString(rows));
                } else {
                    for (ApiToken t : tokens) {
                        out.printf("%-10s %-9s %-20s %-24s %s%n", t.id(), t.role(), t.name(), String.join(",", t.channels()),
                                t.revoked().map(r -> "revoked " + r).orElse("live since " + t.created()));
                    }
                }
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "revoke", description = "Revoke a token: its API calls and browser sessions stop at once.")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        Project project;

        @Parameters(paramLabel = "ID", description = "The token's id (t…), as `cutter token list` shows it.")
        String id;

        @Override
        public Integer call() {
            try (LedgerParts ledger = open(project, project.services())) {
                AccessRecords access = ledger.access();
                if (!access.revokeToken(id)) {
                    throw new PlanException("no live token " + id + " in the ledger; `cutter token list` shows them");
                }
                access.audit(actor(), "token revoke", id, "revoked", "cli");
                project.out().println("revoked token " + id);
            }
            return ExitCode.OK;
        }
    }
}
