package dev.cutter.ledger;

import static dev.cutter.ledger.Database.bind;
import static dev.cutter.ledger.Database.instant;
import static dev.cutter.ledger.Database.millis;
import static dev.cutter.ledger.Database.query;
import static dev.cutter.ledger.Database.requireLimit;
import static dev.cutter.ledger.Database.update;
import static java.util.Objects.requireNonNull;

import dev.cutter.content.Digest;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * The ledger's runs and claims in its {@link Database}: runs, their jobs, attempts, effects,
 * artifacts and logs, and the claims of publications. Job holds and tag locks are {@link SqlHolds}' part; closing
 * this closes the database the other parts share.
 */
final class SqlLedger implements Ledger {

    private static final DateTimeFormatter RUN_ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);
    static final String RUN_COLUMNS =
            "id, project, version, tag, channel, plan_digest, state, started_at, finished_at, heartbeat_at, host, pid, kind, lease_ms";
    private static final String JOB_COLUMNS =
            "run_id, job_id, kind, state, attempts, started_at, finished_at, detail";
    private static final String INTERRUPTED = "interrupted: the run was resumed";
    /** A version's runs, newest first: index {@code runs_by_version_start} finds them in that order. */
    static final String RUNS_OF = "SELECT " + RUN_COLUMNS + " FROM runs WHERE project = ? AND version = ? "
            + "ORDER BY started_at DESC, id DESC";

    private final Database database;
    private final SqlHolds holds;
    private final RandomGenerator random = new SecureRandom();

    SqlLedger(Database database) {
        this.database = database;
        this.holds = new SqlHolds(database);
    }

    /** Opens a ledger whose schema is brought up to {@code migrations} (tests stop it at an older one). */
    static SqlLedger open(String location, Clock clock, List<Schema.Migration> migrations) {
        return new SqlLedger(Database.open(location, clock, migrations, java.util.Map.of()));
    }

    /** {@code r} + UTC start time to the second + 4 random hex digits: short, and sorts by start. */
    static String runId(Instant started, int random16) {
        return "r" + RUN_ID_TIME.format(started) + "-" + HexFormat.of().toHexDigits((short) random16);
    }

    @Override
    public String location() {
        return database.location();
    }

    // ---- writes ----

    @Override
    public Run startRun(NewRun run) {
        requireNonNull(run, "run");
        return database.write("start a run of " + run.project() + " " + run.version(), c -> {
            Instant now = database.now();
            String id = insertRun(c, run, now);
            update(c, "INSERT INTO run_plans (run_id, plan_json) VALUES (?, ?)", id, run.planJson());
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO jobs (run_id, job_id, ordinal, kind, state, attempts) VALUES (?, ?, ?, ?, ?, 0)")) {
                int ordinal = 0;
                for (JobSeed job : run.jobs()) {
                    bind(insert, id, job.jobId(), ordinal++, job.kind(), JobState.PENDING.name());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return new Run(id, run.kind(), run.project(), run.version(), run.tag(), run.channel(), run.planDigest(),
                    RunState.RUNNING, now, Optional.empty(), now, run.host(), run.pid(), run.lease());
        });
    }

    /**
     * Inserts the run under a fresh id. {@code ON CONFLICT DO NOTHING} rather than look-then-insert:
     * two processes starting a run in the same second may draw the same id, and then the second
     * waits for the first to commit and draws again instead of failing on the key.
     */
    private String insertRun(Connection c, NewRun run, Instant now) throws SQLException {
        for (int i = 0; i < 32; i++) {
            String id = runId(now, random.nextInt(0x10000));
            if (update(c, "INSERT INTO runs (" + RUN_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    + "ON CONFLICT (id) DO NOTHING",
                    id, run.project(), run.version(), run.tag(), run.channel(), run.planDigest(),
                    RunState.RUNNING.name(), now.toEpochMilli(), null, now.toEpochMilli(), run.host(), run.pid(),
                    run.kind().name(), run.lease().map(Duration::toMillis).orElse(null)) == 1) {
                update(c, "INSERT INTO run_versions (project, version, last_started) VALUES (?, ?, ?) ON CONFLICT (project, version) "
                        + "DO UPDATE SET last_started = CASE WHEN excluded.last_started > run_versions.last_started "
                        + "THEN excluded.last_started ELSE run_versions.last_started END",
                        run.project(), run.version(), now.toEpochMilli());
                return id;
            }
        }
        throw new LedgerException("could not find a free run id for " + RUN_ID_TIME.format(now) + " in the ledger "
                + database.location() + "; try again");
    }

    @Override
    public void resumeRun(String runId, String host, long pid) {
        requireNonNull(host, "host");
        database.write("resume run " + runId, c -> {
            database.requireRun(c, runId);
            long now = database.now().toEpochMilli();
            update(c, "UPDATE runs SET state = ?, finished_at = NULL, heartbeat_at = ?, host = ?, pid = ? WHERE id = ?",
                    RunState.RUNNING.name(), now, host, pid, runId);
            update(c, "UPDATE job_attempts SET state = ?, finished_at = ?, detail = ? WHERE run_id = ? AND finished_at IS NULL",
                    JobState.CANCELLED.name(), now, INTERRUPTED, runId);
            update(c, "UPDATE jobs SET state = ? WHERE run_id = ? AND state = ?",
                    JobState.PENDING.name(), runId, JobState.RUNNING.name());
            return null;
        });
    }

    @Override
    public void heartbeat(String runId) {
        database.write("record a heartbeat of run " + runId, c -> {
            if (update(c, "UPDATE runs SET heartbeat_at = ? WHERE id = ?", database.now().toEpochMilli(), runId) == 0) {
                throw database.unknownRun(runId);
            }
            return null;
        });
    }

    @Override
    public void finishRun(String runId, RunState state) {
        requireNonNull(state, "state");
        if (!state.isFinal()) {
            throw new IllegalArgumentException("run " + runId + " cannot finish " + state + "; use a final state");
        }
        database.write("record the end of run " + runId, c -> {
            long now = database.now().toEpochMilli();
            if (update(c, "UPDATE runs SET state = ?, finished_at = ?, heartbeat_at = ? WHERE id = ?",
                    state.name(), now, now, runId) == 0) {
                throw database.unknownRun(runId);
            }
            return null;
        });
    }

    @Override
    public void jobStarted(String runId, String jobId) {
        database.write("record the start of job " + jobId + " of run " + runId, c -> {
            database.requireRun(c, runId);
            int attempts;
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT attempts FROM jobs WHERE run_id = ? AND job_id = ?")) {
                bind(select, runId, jobId);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        throw database.unknownJob(runId, jobId);
                    }
                    attempts = rs.getInt(1);
                }
            }
            long now = database.now().toEpochMilli();
            int attempt = attempts + 1;
            update(c, "UPDATE job_attempts SET state = ?, finished_at = ?, detail = ? "
                    + "WHERE run_id = ? AND job_id = ? AND finished_at IS NULL",
                    JobState.FAILED.name(), now, "superseded by attempt " + attempt, runId, jobId);
            update(c, "UPDATE jobs SET state = ?, attempts = ?, started_at = COALESCE(started_at, ?), "
                    + "finished_at = NULL, detail = NULL WHERE run_id = ? AND job_id = ?",
                    JobState.RUNNING.name(), attempt, now, runId, jobId);
            update(c, "INSERT INTO job_attempts (run_id, job_id, attempt, state, started_at) VALUES (?, ?, ?, ?, ?)",
                    runId, jobId, attempt, JobState.RUNNING.name(), now);
            return null;
        });
    }

    @Override
    public void jobFinished(String runId, String jobId, JobState state, Optional<String> detail,
            List<Artifact> artifacts, List<Effect> effects) {
        requireNonNull(state, "state");
        requireNonNull(detail, "detail");
        List<Artifact> outputs = List.copyOf(artifacts);
        List<Effect> changes = List.copyOf(effects);
        if (!state.isFinal()) {
            throw new IllegalArgumentException("job " + jobId + " of run " + runId + " cannot finish " + state
                    + "; use a final state");
        }
        for (Artifact artifact : outputs) {
            requireOwner("artifact " + artifact.name(), artifact.runId(), artifact.jobId(), runId, jobId);
        }
        for (Effect effect : changes) {
            requireOwner("effect on " + effect.target(), effect.runId(), effect.jobId(), runId, jobId);
        }
        database.write("record the end of job " + jobId + " of run " + runId, c -> {
            database.requireRun(c, runId);
            long now = database.now().toEpochMilli();
            String why = detail.orElse(null);
            if (update(c, "UPDATE jobs SET state = ?, finished_at = ?, detail = ? WHERE run_id = ? AND job_id = ?",
                    state.name(), now, why, runId, jobId) == 0) {
                throw database.unknownJob(runId, jobId);
            }
            update(c, "UPDATE job_attempts SET state = ?, finished_at = ?, detail = ? "
                    + "WHERE run_id = ? AND job_id = ? AND finished_at IS NULL",
                    state.name(), now, why, runId, jobId);
            if (!changes.isEmpty()) {
                long seq = lastSeq(c, "effects", runId);
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO effects "
                        + "(run_id, seq, job_id, kind, target, before_value, after_value, occurred_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                    for (Effect e : changes) {
                        bind(insert, runId, ++seq, jobId, e.kind(), e.target(), e.before().orElse(null), e.after(),
                                e.at().toEpochMilli());
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            }
            // What a job produced is what its last finish says: an earlier attempt's list is replaced.
            update(c, "DELETE FROM artifacts WHERE run_id = ? AND job_id = ?", runId, jobId);
            if (!outputs.isEmpty()) {
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO artifacts "
                        + "(run_id, job_id, name, ordinal, path, digest, size_bytes, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                    int ordinal = 0;
                    for (Artifact a : outputs) {
                        bind(insert, runId, jobId, a.name(), ordinal++, a.path().toString(), a.digest().toString(), a.size(), a.kind());
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            }
            return null;
        });
    }

    private static void requireOwner(String what, String ownerRun, String ownerJob, String runId, String jobId) {
        if (!ownerRun.equals(runId) || !ownerJob.equals(jobId)) {
            throw new IllegalArgumentException(what + " belongs to job " + ownerJob + " of run " + ownerRun
                    + ", not to job " + jobId + " of run " + runId);
        }
    }

    @Override
    public void log(String runId, String jobId, String stream, List<String> lines) {
        requireNonNull(jobId, "jobId");
        requireNonNull(stream, "stream");
        List<String> text = List.copyOf(lines);
        if (text.isEmpty()) {
            return;
        }
        database.write("record log lines of job " + jobId + " of run " + runId, c -> {
            database.requireRun(c, runId);
            long seq = lastSeq(c, "logs", runId);
            long now = database.now().toEpochMilli();
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO logs (run_id, seq, job_id, stream, logged_at, line) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (String line : text) {
                    bind(insert, runId, ++seq, jobId, stream, now, line);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    @Override
    public Claim claim(String project, String version, String runId, Map<String, String> publications, Duration staleAfter,
            boolean rolling) {
        requireNonNull(runId, "runId");
        try {
            return database.write("claim " + project + " " + version + " for run " + runId, c -> {
                database.requireRun(c, runId);
                Claim claim = decide(c, project, version, Optional.of(runId), publications, staleAfter, rolling);
                if (!claim.granted()) {
                    throw new Refused(claim); // rolls back the rows this claim inserted: all or none
                }
                return claim;
            });
        } catch (Refused refused) {
            return refused.claim;
        }
    }

    @Override
    public Claim standing(String project, String version, Map<String, String> publications, Duration staleAfter, boolean rolling) {
        return database.read("read the claims of " + project + " " + version,
                c -> decide(c, project, version, Optional.empty(), publications, staleAfter, rolling));
    }

    /** A claim that is not granted, thrown out of its transaction so that nothing of it stays. */
    private static final class Refused extends RuntimeException {
        final transient Claim claim;

        Refused(Claim claim) {
            super(null, null, false, false);
            this.claim = claim;
        }
    }

    /**
     * How each of {@code publications} stands for {@code claimer}; with a claimer, in a write
     * transaction, each one free is taken. Publications are taken in key order, so two claimers
     * of overlapping sets wait on each other's rows in one order and never deadlock.
     */
    private Claim decide(Connection c, String project, String version, Optional<String> claimer, Map<String, String> publications,
            Duration staleAfter, boolean rolling) throws SQLException {
        requireNonNull(project, "project");
        requireNonNull(version, "version");
        requireNonNull(staleAfter, "staleAfter");
        Instant now = database.now();
        List<Claim.Standing> standings = new ArrayList<>();
        Optional<String> whole = query(c, "SELECT run_id FROM version_claims WHERE project = ? AND version = ?",
                rs -> rs.getString(1), project, version).stream().findFirst();
        if (whole.isPresent() && !claimer.equals(whole)) {
            Run holder = selectRun(c, whole.get()).orElseThrow(() -> database.unknownRun(whole.get()));
            if (holder.alive(now, staleAfter)) { // an older Cutter releasing the version right now
                standings.add(new Claim.Standing(Claim.WHOLE_VERSION, Claim.State.BUSY, Optional.of(holder)));
            }
        }
        for (Map.Entry<String, String> wanted : new TreeMap<>(publications).entrySet()) {
            String publication = wanted.getKey();
            String fingerprint = requireNonNull(wanted.getValue(), "fingerprint");
            // Both databases wait here for a concurrent insert of the same key, so one claimer wins.
            if (claimer.isPresent() && update(c, "INSERT INTO publication_claims (project, version, publication, run_id, "
                    + "fingerprint, claimed_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (project, version, publication) DO NOTHING",
                    project, version, publication, claimer.get(), fingerprint, now.toEpochMilli()) == 1) {
                standings.add(new Claim.Standing(publication, Claim.State.CLAIMED, Optional.empty()));
                continue;
            }
            Optional<String[]> held = query(c, "SELECT run_id, fingerprint FROM publication_claims "
                    + "WHERE project = ? AND version = ? AND publication = ?" + (claimer.isPresent() ? database.dialect().forUpdate() : ""),
                    rs -> new String[] {rs.getString(1), rs.getString(2)}, project, version, publication).stream().findFirst();
            if (held.isEmpty() || claimer.isPresent() && held.get()[0].equals(claimer.get())) {
                if (held.isPresent() && !held.get()[1].equals(fingerprint)) {
                    update(c, "UPDATE publication_claims SET fingerprint = ? WHERE project = ? AND version = ? AND publication = ?",
                            fingerprint, project, version, publication);
                }
                standings.add(new Claim.Standing(publication, Claim.State.CLAIMED, Optional.empty()));
                continue;
            }
            Run holder = selectRun(c, held.get()[0]).orElseThrow(() -> database.unknownRun(held.get()[0]));
            Claim.State state = switch (holder.state()) {
                case FAILED, CANCELLED -> Claim.State.CLAIMED;
                case SUCCEEDED -> rolling ? Claim.State.CLAIMED
                        : held.get()[1].equals(fingerprint) ? Claim.State.PUBLISHED : Claim.State.CONFLICT;
                case RUNNING -> holder.alive(now, staleAfter) ? Claim.State.BUSY : Claim.State.CLAIMED;
            };
            if (state == Claim.State.CLAIMED && claimer.isPresent()) {
                update(c, "UPDATE publication_claims SET run_id = ?, fingerprint = ?, claimed_at = ? "
                        + "WHERE project = ? AND version = ? AND publication = ?",
                        claimer.get(), fingerprint, now.toEpochMilli(), project, version, publication);
            }
            standings.add(new Claim.Standing(publication, state, Optional.of(holder)));
        }
        return new Claim(standings);
    }

    @Override
    public Optional<Run> wholeVersionClaim(String project, String version) {
        return database.read("read the claim of " + project + " " + version, c -> {
            Optional<String> holder = query(c, "SELECT run_id FROM version_claims WHERE project = ? AND version = ?",
                    rs -> rs.getString(1), project, version).stream().findFirst();
            return holder.isEmpty() ? Optional.<Run>empty() : selectRun(c, holder.get());
        });
    }

    @Override
    public void convertWholeVersionClaim(String project, String version, String runId, Map<String, String> publications) {
        database.write("convert the claim of " + project + " " + version + " by run " + runId, c -> {
            if (query(c, "SELECT run_id FROM version_claims WHERE project = ? AND version = ? AND run_id = ?"
                    + database.dialect().forUpdate(), rs -> rs.getString(1), project, version, runId).isEmpty()) {
                return null; // converted by another process already, or held by another run
            }
            Run holder = selectRun(c, runId).orElseThrow(() -> database.unknownRun(runId));
            if (holder.state() == RunState.RUNNING) {
                return null;
            }
            if (holder.state() == RunState.SUCCEEDED) {
                long at = holder.finished().orElse(holder.started()).toEpochMilli();
                for (Map.Entry<String, String> p : new TreeMap<>(publications).entrySet()) {
                    update(c, "INSERT INTO publication_claims (project, version, publication, run_id, fingerprint, claimed_at) "
                            + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (project, version, publication) DO NOTHING",
                            project, version, p.getKey(), runId, p.getValue(), at);
                }
            }
            update(c, "DELETE FROM version_claims WHERE project = ? AND version = ?", project, version);
            return null;
        });
    }

    @Override
    public JobHold holdJob(String runId, String jobId, String runner, Duration staleAfter, Collection<String> group, int limit) {
        return holds.holdJob(runId, jobId, runner, staleAfter, group, limit);
    }

    @Override
    public boolean renewHold(String runId, String jobId, String runner) {
        return holds.renewHold(runId, jobId, runner);
    }

    @Override
    public TagLock lockTags(String runId, String jobId, Collection<String> keys, Duration staleAfter) {
        return holds.lockTags(runId, jobId, keys, staleAfter);
    }

    @Override
    public void unlockTags(String runId, String jobId) {
        holds.unlockTags(runId, jobId);
    }

    // ---- reads ----

    @Override
    public Optional<Run> run(String id) {
        requireNonNull(id, "id");
        return database.read("read run " + id, c -> selectRun(c, id));
    }

    @Override
    public Optional<Run> latestRun() {
        return runs(1).stream().findFirst();
    }

    @Override
    public List<Run> runs(int limit) {
        requireLimit(limit);
        return database.read("list runs", c -> query(c, "SELECT " + RUN_COLUMNS + " FROM runs "
                + "ORDER BY started_at DESC, id DESC LIMIT ?", SqlLedger::toRun, limit));
    }

    @Override
    public List<Run> runsOf(String project, String version) {
        return database.read("list the runs of " + project + " " + version, c -> query(c, RUNS_OF, SqlLedger::toRun, project, version));
    }

    @Override
    public List<JobRecord> jobs(String runId) {
        return database.read("read the jobs of run " + runId, c -> query(c,
                "SELECT " + JOB_COLUMNS + " FROM jobs WHERE run_id = ? ORDER BY ordinal", rs -> new JobRecord(
                        rs.getString(1), rs.getString(2), rs.getString(3), JobState.valueOf(rs.getString(4)),
                        rs.getInt(5), instant(rs, 6), instant(rs, 7), Optional.ofNullable(rs.getString(8))),
                runId));
    }

    @Override
    public List<Attempt> attempts(String runId, String jobId) {
        return database.read("read the attempts of job " + jobId + " of run " + runId, c -> query(c,
                "SELECT run_id, job_id, attempt, state, started_at, finished_at, detail FROM job_attempts "
                        + "WHERE run_id = ? AND job_id = ? ORDER BY attempt",
                rs -> new Attempt(rs.getString(1), rs.getString(2), rs.getInt(3), JobState.valueOf(rs.getString(4)),
                        Instant.ofEpochMilli(rs.getLong(5)), instant(rs, 6), Optional.ofNullable(rs.getString(7))),
                runId, jobId));
    }

    @Override
    public List<Effect> effects(String runId) {
        return database.read("read the effects of run " + runId, c -> query(c,
                EFFECTS + "WHERE run_id = ? ORDER BY seq",
                SqlLedger::effect, runId));
    }

    @Override
    public List<Effect> effectsOn(String target) {
        return database.read("read the effects on " + target, c -> query(c,
                EFFECTS + "WHERE target = ? ORDER BY occurred_at, seq",
                SqlLedger::effect, target));
    }

    private static final String EFFECTS = "SELECT run_id, job_id, kind, target, before_value, after_value, occurred_at FROM effects ";

    /** A row of {@link #EFFECTS}. */
    private static Effect effect(ResultSet rs) throws SQLException {
        return new Effect(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                Optional.ofNullable(rs.getString(5)), rs.getString(6), Instant.ofEpochMilli(rs.getLong(7)));
    }

    @Override
    public List<Artifact> artifacts(String runId) {
        return database.read("read the artifacts of run " + runId, c -> query(c,
                "SELECT a.run_id, a.job_id, a.name, a.path, a.digest, a.size_bytes, a.kind FROM artifacts a "
                        + "JOIN jobs j ON j.run_id = a.run_id AND j.job_id = a.job_id "
                        + "WHERE a.run_id = ? ORDER BY j.ordinal, a.ordinal",
                rs -> new Artifact(rs.getString(1), rs.getString(2), rs.getString(3), Path.of(rs.getString(4)),
                        Digest.parse(rs.getString(5)), rs.getLong(6), rs.getString(7)),
                runId));
    }

    @Override
    public Optional<String> planJson(String runId) {
        return database.read("read the plan of run " + runId, c -> query(c,
                "SELECT plan_json FROM run_plans WHERE run_id = ?", rs -> rs.getString(1), runId)
                .stream().findFirst());
    }

    @Override
    public List<LogLine> logs(String runId, Optional<String> jobId, long afterSeq, int limit) {
        requireNonNull(jobId, "jobId");
        requireLimit(limit);
        String columns = "SELECT run_id, job_id, seq, logged_at, stream, line FROM logs ";
        Database.Row<LogLine> toLine = rs -> new LogLine(rs.getString(1), rs.getString(2), rs.getLong(3),
                Instant.ofEpochMilli(rs.getLong(4)), rs.getString(5), rs.getString(6));
        return database.read("read the logs of run " + runId, c -> jobId.isPresent()
                ? query(c, columns + "WHERE run_id = ? AND job_id = ? AND seq > ? ORDER BY seq LIMIT ?", toLine,
                        runId, jobId.get(), afterSeq, limit)
                : query(c, columns + "WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?", toLine,
                        runId, afterSeq, limit));
    }

    @Override
    public void close() {
        database.close();
    }

    private static long lastSeq(Connection c, String table, String runId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT COALESCE(MAX(seq), 0) FROM " + table + " WHERE run_id = ?")) {
            bind(select, runId);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static Optional<Run> selectRun(Connection c, String id) throws SQLException {
        return query(c, "SELECT " + RUN_COLUMNS + " FROM runs WHERE id = ?", SqlLedger::toRun, id).stream().findFirst();
    }

    static Run toRun(ResultSet rs) throws SQLException {
        return new Run(rs.getString(1), RunKind.valueOf(rs.getString(13)), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), RunState.valueOf(rs.getString(7)), Instant.ofEpochMilli(rs.getLong(8)),
                instant(rs, 9), Instant.ofEpochMilli(rs.getLong(10)), rs.getString(11), rs.getLong(12),
                millis(rs, 14).map(Duration::ofMillis));
    }

}
