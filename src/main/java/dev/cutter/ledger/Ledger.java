package dev.cutter.ledger;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The record of every run of a release: its plan, every job's state and attempts, every effect
 * (what was written, pushed or tagged where, with the digest before and after), the artifacts jobs
 * produced and their log lines. The executor writes it; {@code cutter runs list|show|logs|watch}
 * read it; {@code cutter release --resume} continues from it (law 4).
 *
 * <p>A run's life: {@link #startRun} records the plan and all its jobs as pending, {@link #claim}
 * takes the publications it makes (so two releases of one version cannot both publish one, and
 * a released one never changes), then per job
 * {@link #jobStarted} and {@link #jobFinished}, {@link #log} as lines arrive, {@link #heartbeat}
 * every few seconds, and {@link #finishRun}. After a crash, {@link #resumeRun} puts the jobs that
 * were running back to pending.
 *
 * <p>Every write is one transaction: a process killed at any point leaves the ledger as it was
 * before or after the write, never in between. Several processes may share one ledger (a SQLite
 * file on one machine, a PostgreSQL database across machines). An instance is safe to use from many
 * threads. Callers mask secrets before writing (law 6): the ledger stores
 * what it is given.
 */
public interface Ledger extends AutoCloseable {

    /** Opens the ledger at {@code location}, on the system clock and with no environment; see {@link #open(String, Clock, java.util.Map)}. */
    static Ledger open(String location) {
        return open(location, Clock.systemUTC());
    }

    /** As {@link #open(String, Clock, java.util.Map)} with no environment: a PostgreSQL password comes from the URL or {@code ~/.pgpass}. */
    static Ledger open(String location, Clock clock) {
        return open(location, clock, java.util.Map.of());
    }

    /**
     * Opens the ledger at {@code location}: a file path or {@code sqlite:PATH} (the file and its
     * directory are created when missing), or a PostgreSQL database shared by many processes,
     * {@code postgresql://[USER[:PASSWORD]@]HOST[:PORT]/DATABASE[?PARAMS]} as libpq writes it (also
     * {@code postgres://} and {@code jdbc:postgresql://}; the password is the URL's, else
     * {@code PGPASSWORD}'s, else {@code ~/.pgpass}'s). The schema is brought up to date, the same
     * tables in both; a ledger written by a newer Cutter is refused.
     *
     * @param clock the source of every time the ledger records itself (starts, heartbeats, log lines)
     * @param environment where {@code PGUSER} and {@code PGPASSWORD} are read
     * @throws LedgerException when the location is malformed or not supported, or the file or
     *                         server cannot be used (the message names it, without its password)
     */
    static Ledger open(String location, Clock clock, java.util.Map<String, String> environment) {
        return LedgerParts.open(location, clock, environment).ledger();
    }

    /** Where this ledger lives: the file, or the URL with its password masked ({@code ***}). */
    String location();

    /** A ledger location as given, for a message: a URL's password masked ({@code ***}), unparsed. */
    static String shown(String location) {
        // the user information ends at the authority's last @ (as PostgresLocation reads it): a password may hold one
        return location.replaceFirst("://([^:@/?]*):[^/?]*@", "://$1:***@").replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    // ---- writes: each one transaction ----

    /**
     * Records a new run, {@link RunState#RUNNING}, with its plan and every job {@link JobState#PENDING},
     * all at once.
     */
    Run startRun(NewRun run);

    /**
     * Takes a run up again after its process died or it ended: the run is running again on
     * {@code host}/{@code pid} with a fresh heartbeat; jobs that were running go back to pending
     * (their open attempt ends cancelled); done, failed and cancelled jobs keep their state.
     */
    void resumeRun(String runId, String host, long pid);

    /** The run's process is alive: keeps its claim from looking stale. */
    void heartbeat(String runId);

    /** Ends a run in {@code state}, which must be final. */
    void finishRun(String runId, RunState state);

    /**
     * A job starts an attempt: running, attempts + 1, started set on the first attempt, a new
     * attempt recorded. An attempt still open (a retry without a finish) ends failed.
     */
    void jobStarted(String runId, String jobId);

    /**
     * A job ends in {@code state} (final), with the artifacts it produced and the effects it had, in
     * one transaction: a killed process leaves either all of them or none. The artifacts replace
     * those of an earlier finish of the same job; effects add to the run's history.
     *
     * @param detail the error of a failed job or the reason it was skipped or cancelled
     */
    void jobFinished(String runId, String jobId, JobState state, Optional<String> detail, List<Artifact> artifacts,
            List<Effect> effects);

    /**
     * Appends lines a job wrote to {@code stream}, numbered after the run's last line. {@code jobId}
     * is not checked against the plan, so run-wide lines may use their own name.
     */
    void log(String runId, String jobId, String stream, List<String> lines);

    /**
     * Claims the publications of {@code runId}'s release of {@code project}/{@code version}, all or
     * none, atomically across processes: each key of {@code publications} (a publishing job and its
     * target, or {@link Claim#WHOLE_VERSION} for a release that publishes nothing) with its
     * fingerprint (a digest of everything it publishes, as planned). A publication is the run's when
     * nobody holds it, the run holds it already, or its holder failed, was cancelled, or is running
     * with a heartbeat older than {@code staleAfter} (its process was killed); with {@code rolling},
     * also when its holder succeeded (a rolling channel's version is released again, replacing what
     * it published). One a succeeded holder published with the same fingerprint stays that run's
     * ({@link Claim.State#PUBLISHED}: nothing to do for it); with another fingerprint it is a
     * conflict; one held by a live run is busy. Any conflict or busy publication refuses the whole
     * claim, and nothing changes. A live run holding the whole version under a claim an older
     * Cutter made refuses it too. The run must have been started in this ledger.
     */
    Claim claim(String project, String version, String runId, Map<String, String> publications, Duration staleAfter,
            boolean rolling);

    /**
     * What {@link #claim} would answer now for a run not yet recorded, claiming nothing: a release
     * that would be refused, or that has nothing to do, need not record a run.
     */
    Claim standing(String project, String version, Map<String, String> publications, Duration staleAfter, boolean rolling);

    /**
     * The run holding {@code project}/{@code version} as a whole under a claim an older Cutter made
     * (before claims by publication), if it still holds one: see {@link #convertWholeVersionClaim}.
     */
    Optional<Run> wholeVersionClaim(String project, String version);

    /**
     * Replaces the whole-version claim of a succeeded run {@code runId}, made by an older Cutter, by
     * claims of the publications its plan made ({@code publications}, as {@link #claim} takes them),
     * so a later release of the version goes on from what it published. A whole-version claim of a
     * failed or cancelled run is dropped; one of a running run, or of another run, is kept.
     */
    void convertWholeVersionClaim(String project, String version, String runId, Map<String, String> publications);

    /**
     * Asks for {@code runner} to hold job {@code jobId} of run {@code runId}, atomically across
     * processes and machines: {@code HELD} when the job has not succeeded, nobody else holds it
     * with a hold renewed within {@code staleAfter} (a runner that stopped renewing was killed),
     * and fewer than {@code limit} of the jobs {@code group} names are held by live runners;
     * else {@code DONE}, {@code BUSY} or {@code GROUP_FULL}, and nothing changes. A held job is
     * then started and finished as any other ({@link #jobStarted}, {@link #jobFinished}).
     *
     * @param group the other jobs of its concurrency group (empty: none); {@code limit} is ignored without them
     */
    JobHold holdJob(String runId, String jobId, String runner, Duration staleAfter, java.util.Collection<String> group, int limit);

    /**
     * {@code runner} is alive and still running the job: its hold and the run's heartbeat are
     * renewed. False when the job is no longer held by {@code runner} (another took it over after
     * this one stopped renewing): the runner must stop without recording anything.
     */
    boolean renewHold(String runId, String jobId, String runner);

    /**
     * Asks for job {@code jobId} of run {@code runId} to hold the locks named {@code keys} (the
     * tags of a repository a push is about to decide, {@code REPOSITORY:TAG}), all of them or none,
     * atomically across processes and machines sharing the ledger. Held when no other job holds
     * any of them, or its run has ended or is running without a heartbeat within
     * {@code staleAfter} (its process was killed: the lock is taken over); a lock the asking job
     * holds already is held again. Otherwise the answer names a lock and its holder, and nothing
     * changes: the caller waits and asks again. A lock lasts until {@link #unlockTags}.
     */
    TagLock lockTags(String runId, String jobId, java.util.Collection<String> keys, Duration staleAfter);

    /** Gives up every lock job {@code jobId} of run {@code runId} holds. */
    void unlockTags(String runId, String jobId);

    // ---- reads ----

    Optional<Run> run(String id);

    /** The most recently started run ({@code --resume last}). */
    Optional<Run> latestRun();

    /** At most {@code limit} runs, newest first. */
    List<Run> runs(int limit);

    /** Every run of one version of a project, newest first. */
    List<Run> runsOf(String project, String version);

    /** The run's jobs in plan order. */
    List<JobRecord> jobs(String runId);

    /** Every attempt at one job, first first. */
    List<Attempt> attempts(String runId, String jobId);

    /** The run's effects in the order they were recorded. */
    List<Effect> effects(String runId);

    /** Every effect any run recorded on {@code target} (e.g. {@code host/app:1.2.3}), oldest first. */
    List<Effect> effectsOn(String target);

    /** The run's artifacts, in plan order of their jobs and then in the order each job gave them. */
    List<Artifact> artifacts(String runId);

    /** The plan the run executes, as recorded by {@link #startRun}. */
    Optional<String> planJson(String runId);

    /**
     * Up to {@code limit} log lines of the run (of one job when {@code jobId} is given) whose
     * {@link LogLine#seq} is greater than {@code afterSeq}, in order: page by passing the last seq seen.
     */
    List<LogLine> logs(String runId, Optional<String> jobId, long afterSeq, int limit);

    @Override
    void close();
}
