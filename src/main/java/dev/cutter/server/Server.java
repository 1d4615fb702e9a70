package dev.cutter.server;

import dev.cutter.ledger.AccessRecords;
import dev.cutter.ledger.Ledger;
import dev.cutter.ledger.LedgerParts;
import dev.cutter.ledger.LedgerException;
import dev.cutter.ledger.RunSearch;
import dev.cutter.plan.PlanException;
import dev.cutter.run.JobFailure;
import dev.cutter.run.Masker;
import dev.cutter.run.Secrets;
import dev.cutter.app.Services;
import dev.cutter.spec.SpecException;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.sse.SseClient;
import io.javalin.security.RouteRole;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code cutter serve}: the REST API under {@code /api} (documented in {@code /api/openapi.json}),
 * server-sent events, the dashboard, browser sessions and webhooks, over one ledger and the
 * specs given. Start one with {@link #start(Config)}, stop it with {@link #close()}.
 *
 * <p>Every route names the least role it needs; a request's caller is its {@code Authorization:
 * Bearer} token, else its session cookie. A browser (session) POST must carry the session's
 * synchronizer token. Every state-changing call, allowed or not, goes to the audit trail.
 */
public final class Server implements AutoCloseable {

    /**
     * @param bind          the address to listen on ({@code 127.0.0.1} unless the server is meant to be reached from elsewhere)
     * @param port          0 for any free port
     * @param ledger        the ledger's location, as {@link Ledger#open(String)} takes it
     * @param specs         the {@code cutter.yaml} files it releases, one project each
     * @param githubSecret  the secret GitHub signs webhook deliveries with, if GitHub may call
     * @param gitlabSecret  the token GitLab sends with webhook deliveries, if GitLab may call
     * @param environment   what releases see as their environment (secrets come from here)
     * @param limits        what a caller may make the server spend before it is known
     * @param accessLog     where each answered request goes as one line of the access log (see {@link AccessLog})
     */
    public record Config(String bind, int port, String ledger, List<Path> specs, Optional<String> githubSecret,
            Optional<String> gitlabSecret, Map<String, String> environment, Limits limits, Consumer<String> accessLog) {
        public Config {
            specs = List.copyOf(specs);
            environment = Map.copyOf(environment);
            java.util.Objects.requireNonNull(accessLog, "accessLog");
            if (specs.isEmpty()) {
                throw new IllegalArgumentException("give at least one spec (-f FILE) for the server to release");
            }
        }

        /** With the access log on standard error. */
        public Config(String bind, int port, String ledger, List<Path> specs, Optional<String> githubSecret,
                Optional<String> gitlabSecret, Map<String, String> environment, Limits limits) {
            this(bind, port, ledger, specs, githubSecret, gitlabSecret, environment, limits, AccessLog.STDERR);
        }

        /** With the default {@link Limits}. */
        public Config(String bind, int port, String ledger, List<Path> specs, Optional<String> githubSecret,
                Optional<String> gitlabSecret, Map<String, String> environment) {
            this(bind, port, ledger, specs, githubSecret, gitlabSecret, environment, Limits.defaults());
        }

        /** Where the server listens and what it serves, without the webhook secrets, the environment or a ledger URL's password. */
        @Override
        public String toString() {
            return "Config[bind=" + bind + ", port=" + port + ", ledger=" + dev.cutter.ledger.Ledger.shown(ledger)
                    + ", specs=" + specs + ", githubSecret=" + githubSecret.map(x -> "***").orElse("none") + ", gitlabSecret="
                    + gitlabSecret.map(x -> "***").orElse("none") + ", environment=<" + environment.size() + " variables>, limits="
                    + limits + "]";
        }
    }

    /** Who called: the principal, and the session it came through (none for a bearer token). */
    record Caller(Optional<Principal> principal, Optional<Sessions.Session> session) {
        static final Caller NOBODY = new Caller(Optional.empty(), Optional.empty());

        String csrf() {
            return session.map(Sessions.Session::csrf).orElse("");
        }

        String actor() {
            return principal.map(Principal::actor).orElse("anonymous");
        }
    }

    private static final String CALLER = "cutter.caller";
    private static final Pattern SECRET_REFERENCE = Pattern.compile("\\$\\{(?:env|file):[^}]+}");

    final Config config;
    final Ledger ledger;
    final RunSearch search;
    final AccessRecords access;
    final Tokens tokens;
    final Sessions sessions;
    final Answers answers;
    final Projects projects;
    final dev.cutter.plan.Planner planner;
    final dev.cutter.plan.PlanText planText;
    final Launcher launcher;
    final Feeds feeds;
    final Clock clock = Clock.systemUTC();
    private final List<String> routes = new ArrayList<>();
    private RequestGate gate;
    private final Javalin app;

    private Server(Config config) {
        this.config = config;
        Services services = new Services(config.environment(), clock, Path.of(""));
        this.projects = new Projects(config.specs(), services.specLoader());
        this.planner = services.planner();
        this.planText = services.planText();
        LedgerParts parts = services.ledgerParts(config.ledger());
        this.ledger = parts.ledger();
        this.search = parts.search();
        this.access = parts.access();
        try {
            this.tokens = new Tokens(access, clock);
            this.sessions = new Sessions(clock);
            this.answers = new Answers(masker(config, projects));
            this.launcher = new Launcher(config.ledger(), services);
            this.feeds = new Feeds(ledger, search, answers, clock);
            this.app = listen(config);
        } catch (RuntimeException e) {
            ledger.close(); // listen() stopped the poller thread already
            throw e;
        }
    }

    /** Starts listening; on failure stops the feeds' poller, the one thing started before. */
    private Javalin listen(Config config) {
        try {
            Javalin javalin = Javalin.create(c -> {
                c.jetty.host = config.bind();
                c.jetty.port = config.port();
                c.startup.showJavalinBanner = false;
                c.startup.showOldJavalinVersionWarning = false;
                c.http.compressionStrategy = CompressionStrategy.NONE; // server-sent events must not wait in a compressor
                c.http.asyncTimeout = 0; // event streams stay open until the run ends or the client leaves
                Limits limits = config.limits();
                // bodies without a length (chunked) are counted as they are read; announced ones are refused by the gate
                c.http.maxRequestSize = Math.max(limits.maxHookBody(), limits.maxApiBody());
                c.jetty.modifyServer(server -> {
                    gate = new RequestGate(limits, this::authenticated);
                    server.setHandler(gate); // Javalin nests its servlet inside
                    server.addEventListener(new org.eclipse.jetty.util.component.LifeCycle.Listener() {
                        @Override
                        public void lifeCycleStarting(org.eclipse.jetty.util.component.LifeCycle event) {
                            for (org.eclipse.jetty.server.Connector connector : server.getConnectors()) {
                                if (connector instanceof org.eclipse.jetty.server.AbstractConnector a) {
                                    a.setIdleTimeout(limits.idleTimeout().toMillis());
                                }
                            }
                        }
                    });
                });
                c.jetty.modifyHttpConfiguration(http -> {
                    http.setMinRequestDataRate(limits.minBodyRate());
                    http.setIdleTimeout(limits.idleTimeout().toMillis());
                });
                c.routes.before(ctx -> ctx.header("X-Frame-Options", "DENY").header("X-Content-Type-Options", "nosniff")
                        .header("Referrer-Policy", "same-origin")
                        // no inline script or style anywhere, so a value that slipped past escaping cannot run
                        .header("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'self'"));
                AccessLog log = new AccessLog(config.accessLog(), answers::mask, clock);
                c.requestLogger.http((ctx, ms) -> log.answered(ctx, caller(ctx), ms));
                c.routes.beforeMatched(this::authorize);
                c.routes.exception(Refusal.class, this::refused);
                c.routes.exception(Exception.class, this::failed);
                Routes r = new Routes(c.routes);
                new Api(this).register(r);
                new Pages(this).register(r);
                new Webhooks(this).register(r);
                r.get("/healthz", null, this::health);
                r.get("/static/app.js", null, ctx -> asset(ctx, "app.js", "text/javascript"));
                r.get("/static/app.css", null, ctx -> asset(ctx, "app.css", "text/css"));
            });
            return javalin.start();
        } catch (RuntimeException e) {
            feeds.close();
            throw e;
        }
    }

    /** Starts a server; it listens when this returns. */
    public static Server start(Config config) {
        return new Server(config);
    }

    public int port() {
        return app.port();
    }

    RequestGate gate() {
        return gate;
    }

    /** Where it listens, e.g. {@code http://127.0.0.1:8080}. */
    public String url() {
        String host = config.bind().contains(":") ? "[" + config.bind() + "]" : config.bind();
        return "http://" + (host.equals("0.0.0.0") ? "127.0.0.1" : host) + ":" + port();
    }

    /** Every route as {@code METHOD /path}, in the order registered: what {@code openapi.json} must document. */
    public List<String> routes() {
        return List.copyOf(routes);
    }

    /** Stops listening, cancels the runs this server started (the ledger records them as cancelled), closes the ledger. */
    @Override
    public void close() {
        try {
            feeds.close();
            app.stop();
            launcher.close();
        } finally {
            ledger.close();
        }
    }

    // ---- routes and access ----

    /** Registers routes with the least role each needs ({@code null}: anyone, e.g. the login page). */
    final class Routes {
        private final io.javalin.config.RoutesConfig target;

        Routes(io.javalin.config.RoutesConfig target) {
            this.target = target;
        }

        void get(String path, Role role, Handler handler) {
            add(HandlerType.GET, path, role, handler);
        }

        void post(String path, Role role, Handler handler) {
            add(HandlerType.POST, path, role, handler);
        }

        void sse(String path, Role role, Consumer<SseClient> client) {
            routes.add("GET " + path);
            target.sse(path, client, role);
        }

        private void add(HandlerType method, String path, Role role, Handler handler) {
            routes.add(method.name() + " " + path);
            RouteRole[] roles = role == null ? new RouteRole[0] : new RouteRole[] {role};
            if (method == HandlerType.GET) {
                target.get(path, handler, roles);
            } else {
                target.post(path, handler, roles);
            }
        }
    }

    private void authorize(Context ctx) {
        Caller caller = identify(ctx);
        ctx.attribute(CALLER, caller);
        Set<RouteRole> roles = ctx.routeRoles();
        if (roles.isEmpty()) {
            return;
        }
        Role needed = (Role) roles.iterator().next();
        boolean changes = ctx.method() == HandlerType.POST;
        if (caller.principal().isEmpty()) {
            if (changes) {
                audit(ctx, caller, "request", ctx.method().name() + " " + ctx.path(), "denied: no token");
            }
            throw new Refusal(401, "this needs an API token: send Authorization: Bearer <token> (`cutter token create` makes one)");
        }
        Principal who = caller.principal().get();
        if (!who.role().includes(needed)) {
            if (changes) {
                audit(ctx, caller, "request", ctx.method().name() + " " + ctx.path(), "denied: needs role " + needed.label());
            }
            throw new Refusal(403, "token " + who.tokenId() + " is a " + who.role().label() + "; this needs a " + needed.label());
        }
        if (changes && caller.session().isPresent()) {
            String given = Optional.ofNullable(ctx.header("X-CSRF-Token")).orElseGet(() -> formParam(ctx, "csrf"));
            if (!Sessions.csrfMatches(caller.session().get(), given)) {
                audit(ctx, caller, "request", ctx.method().name() + " " + ctx.path(), "denied: no valid CSRF token");
                throw new Refusal(403, "this form is stale or was not sent by the dashboard (CSRF token missing or wrong); "
                        + "reload the page and try again");
            }
        }
    }

    private static String formParam(Context ctx, String name) {
        String type = Optional.ofNullable(ctx.contentType()).orElse("");
        return type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data") ? ctx.formParam(name) : null;
    }

    private Caller identify(Context ctx) {
        String authorization = ctx.header("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return new Caller(tokens.verify(authorization.substring(7).strip()), Optional.empty());
        }
        Optional<Sessions.Session> session = sessions.find(ctx.cookie(Sessions.COOKIE));
        if (session.isEmpty()) {
            return Caller.NOBODY;
        }
        Optional<Principal> principal = tokens.principal(session.get().tokenId(), Optional.empty());
        return principal.isEmpty() ? Caller.NOBODY : new Caller(principal, session);
    }

    /** Whether a request carries a live bearer token or session, judged from its headers alone (for {@link RequestGate}). */
    private boolean authenticated(org.eclipse.jetty.server.Request request) {
        String authorization = request.getHeaders().get(org.eclipse.jetty.http.HttpHeader.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return tokens.verify(authorization.substring(7).strip()).isPresent();
        }
        for (org.eclipse.jetty.http.HttpCookie cookie : org.eclipse.jetty.server.Request.getCookies(request)) {
            if (cookie.getName().equals(Sessions.COOKIE) && sessions.find(cookie.getValue()).isPresent()) {
                return true;
            }
        }
        return false;
    }

    static Caller caller(Context ctx) {
        Caller caller = ctx.attribute(CALLER);
        return caller == null ? Caller.NOBODY : caller;
    }

    /** Appends to the audit trail; the server's own masker runs over it first. */
    void audit(Context ctx, Caller caller, String action, String subject, String outcome) {
        access.audit(caller.actor(), action, answers.mask(subject), answers.mask(outcome), ctx.ip());
    }

    private static boolean wantsJson(Context ctx) {
        return ctx.path().startsWith("/api/") || ctx.path().startsWith("/hooks/");
    }

    private void refused(Refusal e, Context ctx) {
        if (wantsJson(ctx)) {
            if (e.status() == 401) {
                ctx.header("WWW-Authenticate", "Bearer realm=\"cutter\"");
            }
            answers.error(ctx, e.status(), e.getMessage());
        } else if (e.status() == 401) {
            ctx.redirect("/login?next=" + Html.url(ctx.path()));
        } else {
            Caller caller = caller(ctx);
            answers.html(ctx, e.status(), Html.page("Refused", caller.principal(), caller.csrf(),
                    "<h1>" + e.status() + "</h1><p class=\"error\">" + Html.escape(e.getMessage()) + "</p>"));
        }
    }

    private void failed(Exception e, Context ctx) {
        int status;
        String message;
        switch (e) {
            case SpecException s -> {
                status = 422;
                message = s.getMessage();
            }
            case PlanException p -> {
                status = 422;
                message = p.getMessage();
            }
            case IllegalArgumentException i -> {
                status = 400;
                message = i.getMessage();
            }
            case JobFailure j -> {
                status = 422;
                message = j.getMessage();
            }
            case dev.cutter.oci.LoginFileException l -> { // the server's own login files: its operator's to fix
                status = 503;
                message = l.getMessage();
            }
            case LedgerException l -> {
                status = 503;
                message = l.getMessage();
            }
            case io.javalin.http.HttpResponseException h -> {
                status = h.getStatus();
                message = h.getMessage();
            }
            case org.eclipse.jetty.http.HttpException h -> { // e.g. a body slower than the minimum data rate
                status = h.getCode();
                message = "the request failed: " + h.getReason();
            }
            case IOException broken -> { // a body read that timed out or broke off
                status = 408;
                message = "the request body did not arrive in time (or the connection broke); send it again";
            }
            case java.io.UncheckedIOException broken -> {
                status = 408;
                message = "the request body did not arrive in time (or the connection broke); send it again";
            }
            default -> {
                status = 500;
                message = "internal error: " + e.getClass().getSimpleName() + ": " + e.getMessage();
                System.err.println("cutter serve: " + ctx.method() + " " + ctx.path() + ": " + answers.mask(String.valueOf(e)));
            }
        }
        refused(new Refusal(status, message), ctx);
    }

    /**
     * For a load balancer or a supervisor, without a token: 200 when the server answers and its
     * ledger reads, else 503 saying why. It names nothing of the releases.
     */
    private void health(Context ctx) {
        try {
            ledger.latestRun();
            answers.json(ctx, Map.of("status", "ok", "ledger", "ok"));
        } catch (LedgerException e) {
            answers.json(ctx, 503, Map.of("status", "unavailable", "ledger", e.getMessage()));
        }
    }

    private void asset(Context ctx, String name, String type) throws IOException {
        try (InputStream in = Server.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new Refusal(404, "no asset " + name);
            }
            ctx.contentType(type + "; charset=utf-8").header("Cache-Control", "max-age=300").result(in.readAllBytes());
        }
    }

    // ---- plumbing ----

    /**
     * A masker that knows every secret the server could come across outside a run: the webhook
     * secrets, and the current values of the specs' secret references (resolved here only to be
     * masked; one that is not set is nothing to mask).
     */
    private static Masker masker(Config config, Projects projects) {
        Masker masker = new Masker();
        config.githubSecret().ifPresent(masker::add);
        config.gitlabSecret().ifPresent(masker::add);
        for (Path file : projects.files()) {
            Secrets secrets = new Secrets(config.environment(), file.getParent(), masker);
            try {
                Matcher m = SECRET_REFERENCE.matcher(Files.readString(file));
                while (m.find()) {
                    try {
                        secrets.resolve(m.group()); // adds the value to the masker
                    } catch (JobFailure unset) {
                        // not set here: a release would fail on it, and there is nothing to mask
                    }
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return masker;
    }
}
