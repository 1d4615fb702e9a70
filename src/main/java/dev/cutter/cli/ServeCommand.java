package dev.cutter.cli;

import dev.cutter.app.Services;
import dev.cutter.plan.PlanException;
import dev.cutter.run.Secrets;
import dev.cutter.server.Limits;
import dev.cutter.server.Server;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cutter serve}: the REST API, live dashboard and webhooks over a ledger and the given specs, until stopped. */
@Command(footer = {"%nExamples:", "  cutter serve --port 8080 --ledger postgresql://cutter@db/ledger"},
        name = "serve",
        description = "Serve the REST API, the live dashboard and webhooks for the given specs (stop with Ctrl-C).")
final class ServeCommand implements Callable<Integer> {
    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "A spec to release (repeatable; default: cutter.yaml).")
    List<Path> files = new ArrayList<>();

    @Mixin
    LedgerOptions ledgerOptions;

    @Option(names = "--port", paramLabel = "P", defaultValue = "8080", description = "The port (default ${DEFAULT-VALUE}; 0 for any free one).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "The address to listen on (default ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    String bind;

    @Option(names = "--webhook-secret", paramLabel = "SECRET",
            description = "Enables /hooks/github and /hooks/gitlab with this shared secret: a reference such as '$${env:HOOK_SECRET}'"
                    + " or '$${file:hook.secret}' (quote it for the shell).")
    String webhookSecret;

    @Option(names = "--max-hook-body", paramLabel = "BYTES", defaultValue = "5000000",
            description = "The largest webhook delivery accepted (default ${DEFAULT-VALUE}); larger ones are answered 413 unread.")
    long maxHookBody;

    @Option(names = "--max-body", paramLabel = "BYTES", defaultValue = "1000000",
            description = "The largest body of any other request (default ${DEFAULT-VALUE}).")
    long maxBody;

    @Option(names = "--body-timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "A request body must have arrived this long after its headers (default ${DEFAULT-VALUE}).")
    long bodyTimeout;

    @Option(names = "--max-unauthenticated-per-address", paramLabel = "N", defaultValue = "8",
            description = "Webhook deliveries and logins read at once from one address, an IPv6 /64 (default ${DEFAULT-VALUE}); more get 429.")
    int pendingPerAddress;

    @Mixin
    Wiring wiring;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = wiring.out();
        Services services = wiring.services();
        List<Path> specs = (files.isEmpty() ? List.of(Path.of("cutter.yaml")) : files).stream().map(services::resolve).toList();
        Optional<String> secret = Optional.ofNullable(webhookSecret).map(reference -> resolve(services, reference));
        Server server;
        try {
            Limits d = Limits.defaults();
            Limits limits;
            try {
                limits = new Limits(maxHookBody, maxBody, java.time.Duration.ofSeconds(bodyTimeout), d.minBodyRate(), d.idleTimeout(),
                        pendingPerAddress, Math.max(d.pendingOverall(), pendingPerAddress));
            } catch (IllegalArgumentException e) {
                throw new PlanException("--max-hook-body, --max-body, --body-timeout and --max-unauthenticated-per-address must be positive");
            }
            server = Server.start(new Server.Config(bind, port, wiring.ledger(ledgerOptions, specs.getFirst()), specs, secret, secret,
                    services.environment(), limits));
        } catch (io.javalin.util.JavalinBindException e) {
            throw new PlanException("--bind " + bind + " --port " + port + ": cannot listen there (" + e.getMessage()
                    + "); choose another port, or stop what uses it");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close(); // cancels the runs it started, so the ledger records them as cancelled
            stopped.countDown();
        }, "cutter-serve-stop"));
        out.println("cutter serve: listening on " + server.url() + " (dashboard at /, API at /api, described by /api/openapi.json)");
        out.flush();
        stopped.await();
        return ExitCode.OK;
    }

    /** A secret reference resolved now; a literal secret is refused, since it would sit in the shell's history and ps. */
    private static String resolve(Services services, String reference) {
        Secrets secrets = services.secrets(services.workingDirectory().toAbsolutePath());
        if (!secrets.isReference(reference)) {
            throw new PlanException("--webhook-secret: give a reference such as '${env:HOOK_SECRET}' or '${file:hook.secret}',"
                    + " not the secret itself (a command line is visible to every user of the machine)");
        }
        try {
            String value = secrets.resolve(reference).strip();
            if (value.length() < 16) {
                throw new PlanException("--webhook-secret: the secret is shorter than 16 characters; use a long random one");
            }
            return value;
        } catch (dev.cutter.run.JobFailure e) {
            throw new PlanException("--webhook-secret: " + e.getMessage());
        }
    }
}
