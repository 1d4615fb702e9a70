package dev.cutter.app;

import dev.cutter.content.FileTrees;
import dev.cutter.ledger.Ledger;
import dev.cutter.oci.Logins;
import dev.cutter.run.Cancellation;
import dev.cutter.run.Emitter;
import dev.cutter.run.JobHandler;
import dev.cutter.run.Masker;
import dev.cutter.run.Promoter;
import dev.cutter.run.Releaser;
import dev.cutter.run.Resumer;
import dev.cutter.run.RunListener;
import dev.cutter.run.Runs;
import dev.cutter.run.Secrets;
import dev.cutter.run.Verifier;
import dev.cutter.kinds.Capabilities;
import dev.cutter.run.jobs.JobServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * Builds the services a command or the server uses from what it is given: the environment (for
 * secrets, credentials, API URLs, the ledger's location), the clock and the working directory.
 *
 * @param workingDirectory where relative paths resolve; the empty path for this process's own, so
 *     paths given relative stay so in messages
 */
public record Services(Map<String, String> environment, Clock clock, Path workingDirectory) {
    public Services {
        environment = Map.copyOf(environment);
    }

    /** This process's environment, clock and working directory: the only place Cutter reads {@code System.getenv}. */
    public static Services ofThisProcess() {
        return new Services(System.getenv(), Clock.systemUTC(), Path.of(""));
    }

    /** {@code file} as given on a command line, against the working directory. */
    public Path resolve(Path file) {
        return workingDirectory.resolve(file);
    }

    /**
     * Where the ledger is: {@code given} ({@code --ledger}), else {@code CUTTER_LEDGER}, else
     * {@code .cutter/ledger.db} beside the spec.
     */
    public String ledgerLocation(String given, Path specFile) {
        if (given != null) {
            return given;
        }
        String env = environment.get("CUTTER_LEDGER");
        if (env != null && !env.isBlank()) {
            return env;
        }
        Path dir = resolve(specFile).toAbsolutePath().getParent();
        return (dir == null ? Path.of(".cutter") : dir.resolve(".cutter")).resolve("ledger.db").toString();
    }

    /** Opens the ledger at {@code location}; a PostgreSQL one may take its user and password from the environment. */
    public Ledger ledger(String location) {
        return Ledger.open(location, clock, environment);
    }

    /** The ledger at {@code location} with its search and access records, for the server and {@code cutter token}. */
    public dev.cutter.ledger.LedgerParts ledgerParts(String location) {
        return dev.cutter.ledger.LedgerParts.open(location, clock, environment);
    }

    /** Whether progress may be drawn live: a terminal that can redraw (not {@code TERM=dumb}), and not a CI job (whose logs want lines). */
    public boolean interactive() {
        return interactive(environment, System.console() != null);
    }

    /** Whether progress may be drawn live on a {@code terminal} in {@code environment}: not in CI, not on {@code TERM=dumb}. */
    public static boolean interactive(Map<String, String> environment, boolean terminal) {
        return terminal && environment.get("CI") == null && !"dumb".equals(environment.get("TERM"));
    }

    /**
     * The handler of every job kind. The user's login files are read first, so a malformed one
     * is named (exit 2) before a run starts rather than failing its first push.
     */
    public Map<String, JobHandler> handlers(Ledger ledger, boolean forceFloating) {
        return handlers(jobServices(ledger, forceFloating));
    }

    private Map<String, JobHandler> handlers(JobServices services) {
        logins();
        return Capabilities.handlers(services);
    }

    /** What a run reads back before it reports success: every tag it decided, where it put it. */
    public dev.cutter.run.ReadBack readBack(Ledger ledger) {
        JobServices services = jobServices(ledger, false);
        return new dev.cutter.run.jobs.TagReadBack(services.registries(), services.locks());
    }

    private JobServices jobServices(Ledger ledger, boolean forceFloating) {
        return JobServices.of(environment, ledger, forceFloating);
    }

    /** The loader of specs, with every capability's section. */
    public dev.cutter.spec.SpecLoader specLoader() {
        return Capabilities.specLoader(environment);
    }

    /** The planner, with every capability's step. */
    public dev.cutter.plan.Planner planner() {
        return Capabilities.planner();
    }

    /** The plan for people, a line per kind. */
    public dev.cutter.plan.PlanText planText() {
        return Capabilities.planText();
    }

    /**
     * The registry logins of this environment's user (docker, podman, skopeo), every login file
     * read already.
     *
     * @throws dev.cutter.oci.LoginFileException naming a malformed file, its line and column
     */
    public Logins logins() {
        Logins logins = Logins.of(environment);
        logins.check();
        return logins;
    }

    /** Secrets as a spec in {@code directory} refers to them. */
    public Secrets secrets(Path directory) {
        return new Secrets(environment, directory, new Masker());
    }

    /** Runs recorded in {@code ledger}, told to {@code listener}, stopped by {@code cancellation}. */
    public Runs runs(Ledger ledger, RunListener listener, Cancellation cancellation, boolean forceFloating) {
        JobServices services = jobServices(ledger, forceFloating);
        return new Runs(ledger, planner(), handlers(services), environment, listener, cancellation, clock,
                new dev.cutter.run.jobs.TagReadBack(services.registries(), services.locks()));
    }

    public Releaser releaser(Ledger ledger, RunListener listener, Cancellation cancellation, boolean forceFloating) {
        return new Releaser(runs(ledger, listener, cancellation, forceFloating));
    }

    public Promoter promoter(Ledger ledger, RunListener listener, Cancellation cancellation) {
        return new Promoter(runs(ledger, listener, cancellation, false),
                spec -> dev.cutter.kinds.pin.GitSection.remote(spec).orElse("origin"));
    }

    public Verifier verifier(Ledger ledger, RunListener listener, Cancellation cancellation) {
        return new Verifier(runs(ledger, listener, cancellation, false));
    }

    /**
     * Rebuilds recorded releases of {@code ledger} in clean clones of their commits: each clone's
     * spec is loaded, planned and built without publishing, in a throwaway ledger.
     */
    public dev.cutter.rebuild.Rebuilder rebuilder(Ledger ledger, RunListener listener, Cancellation cancellation) {
        return new dev.cutter.rebuild.Rebuilder(ledger, dev.cutter.process.ProcessRunner.local(), (specFile, request) ->
                withThrowawayLedger(scratch -> {
                    dev.cutter.run.Outcome outcome = releaser(scratch, listener, cancellation, false).release(specLoader().load(specFile), request,
                            dev.cutter.run.RunOptions.defaults().buildingOnly(true));
                    return new dev.cutter.rebuild.Rebuilder.Built(outcome, outcome.runId() == null ? java.util.List.of()
                            : scratch.artifacts(outcome.runId()));
                }));
    }

    public Resumer resumer(Ledger ledger, RunListener listener, Cancellation cancellation, boolean forceFloating) {
        return new Resumer(runs(ledger, listener, cancellation, forceFloating));
    }

    public Emitter emitter(Ledger ledger) {
        return new Emitter(runs(ledger, RunListener.NONE, new Cancellation(), false));
    }

    /** Work done with a ledger open. */
    @FunctionalInterface
    public interface LedgerWork<T> {
        T run(Ledger ledger) throws InterruptedException;
    }

    /** Does {@code work} with the ledger at {@code location} open. */
    public <T> T withLedger(String location, LedgerWork<T> work) throws InterruptedException {
        try (Ledger ledger = ledger(location)) {
            return work.run(ledger);
        }
    }

    /**
     * Does {@code work} with a throwaway ledger, deleted after: a build ({@code --build-only}, a
     * pull request's trigger) claims nothing and is not recorded where releases are.
     */
    public <T> T withThrowawayLedger(LedgerWork<T> work) throws InterruptedException {
        Path scratch;
        try {
            scratch = Files.createTempDirectory("cutter-build");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a scratch directory for a build: " + e.getMessage(), e);
        }
        try {
            return withLedger("sqlite:" + scratch.resolve("ledger.db"), work);
        } finally {
            try {
                FileTrees.delete(scratch);
            } catch (IOException e) {
                // a scratch directory left in the temporary directory: the OS cleans it
            }
        }
    }

    /** A release's date ({@code {date}}): {@code SOURCE_DATE_EPOCH} when set (reproducible builds), else today, as yyyyMMdd in UTC. */
    public String date() {
        Instant when = dev.cutter.content.SourceDateEpoch.of(environment).orElseGet(clock::instant);
        return DateTimeFormatter.ofPattern("yyyyMMdd").withZone(java.time.ZoneOffset.UTC).format(when);
    }

    /** The clock and directory; of the environment, only its size (it holds the process's secrets). */
    @Override
    public String toString() {
        return "Services[environment=<" + environment.size() + " variables>, clock=" + clock + ", workingDirectory=" + workingDirectory + "]";
    }
}
