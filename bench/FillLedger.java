import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutter.ledger.Ledger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Fills a ledger with N finished runs of project {@code app}, one a minute up to now, for the
 * ledger benchmarks: {@code java -cp target/cutter.jar:… FillLedger LOCATION N PLAN.json}. The
 * ledger is made (and migrated) by Cutter itself; the rows then go in by JDBC batches, since a
 * hundred thousand runs through the ledger's one-transaction-per-change API take hours. Each run:
 * its plan (PLAN.json's jobs), every job succeeded with one attempt, two artifacts, ten log lines;
 * a release also claims its version's push and records the push's effect. Five runs a version
 * (release, verification, release, promotion, verification), every tenth run failed. Prints the
 * id of a run in the middle.
 */
public class FillLedger {
    private static final java.time.format.DateTimeFormatter ID_TIME =
            java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(java.time.ZoneOffset.UTC);

    public static void main(String[] args) throws Exception {
        String location = args[0];
        int count = Integer.parseInt(args[1]);
        String plan = Files.readString(Path.of(args[2]));
        List<String> jobIds = new ArrayList<>();
        for (JsonNode job : new ObjectMapper().readTree(plan).get("jobs")) {
            jobIds.add(job.get("id").asText());
        }
        String planDigest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(plan.getBytes()));
        Ledger.open(location, Clock.systemUTC()).close(); // the schema, as Cutter makes it
        long base = Instant.now().toEpochMilli() - count * 60_000L;
        String middle = null;
        try (Connection c = connect(location)) {
            c.setAutoCommit(false);
            PreparedStatement runs = c.prepareStatement("INSERT INTO runs (id, project, version, tag, channel, plan_digest, state,"
                    + " started_at, finished_at, heartbeat_at, host, pid, kind, lease_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,NULL)");
            PreparedStatement plans = c.prepareStatement("INSERT INTO run_plans (run_id, plan_json) VALUES (?, ?)");
            PreparedStatement jobs = c.prepareStatement("INSERT INTO jobs (run_id, job_id, ordinal, kind, state, attempts, started_at,"
                    + " finished_at, detail) VALUES (?,?,?,?,?,1,?,?,NULL)");
            PreparedStatement attempts = c.prepareStatement("INSERT INTO job_attempts (run_id, job_id, attempt, state, started_at,"
                    + " finished_at, detail) VALUES (?,?,1,?,?,?,NULL)");
            PreparedStatement artifacts = c.prepareStatement("INSERT INTO artifacts (run_id, job_id, name, ordinal, path, digest,"
                    + " size_bytes, kind) VALUES (?,?,?,?,?,?,?,?)");
            PreparedStatement logs = c.prepareStatement("INSERT INTO logs (run_id, seq, job_id, stream, logged_at, line)"
                    + " VALUES (?,?,?,?,?,?)");
            PreparedStatement effects = c.prepareStatement("INSERT INTO effects (run_id, seq, job_id, kind, target, before_value,"
                    + " after_value, occurred_at) VALUES (?,?,?,?,?,NULL,?,?)");
            PreparedStatement claims = c.prepareStatement("INSERT INTO publication_claims (project, version, publication, run_id,"
                    + " fingerprint, claimed_at) VALUES (?,?,?,?,?,?)");
            for (int i = 0; i < count; i++) {
                long started = base + i * 60_000L;
                long finished = started + 30_000;
                String id = "r" + ID_TIME.format(Instant.ofEpochMilli(started)) + "-" + HexFormat.of().toHexDigits((short) i); // as Cutter names runs
                if (i == count / 2) {
                    middle = id;
                }
                String version = "1." + (i / 5000) + "." + (i % 5000) / 5;
                String kind = switch (i % 5) {
                    case 1, 4 -> "VERIFICATION";
                    case 3 -> "PROMOTION";
                    default -> "RELEASE";
                };
                String state = i % 10 == 9 ? "FAILED" : "SUCCEEDED";
                bind(runs, id, "app", version, "v" + version, "stable", planDigest, state, started, finished, finished, "bench", 1L, kind);
                runs.addBatch();
                bind(plans, id, plan);
                plans.addBatch();
                long seq = 0;
                for (int j = 0; j < jobIds.size(); j++) {
                    String job = jobIds.get(j);
                    bind(jobs, id, job, j, "build", "SUCCEEDED", started + j * 1000L, started + j * 1000L + 900);
                    jobs.addBatch();
                    bind(attempts, id, job, "SUCCEEDED", started + j * 1000L, started + j * 1000L + 900);
                    attempts.addBatch();
                    if (j < 2) {
                        bind(artifacts, id, job, "out", 0, "dist/" + job + "/out", "sha256:" + sha(i * 7 + j), 1000L + i, "file");
                        artifacts.addBatch();
                    }
                }
                for (int l = 0; l < 10; l++) {
                    bind(logs, id, ++seq, jobIds.get(l % jobIds.size()), "stdout", started + l * 100L,
                            "step " + l + " of run " + i + ": compiled 42 files, wrote dist/out (" + (1000 + i) + " bytes)");
                    logs.addBatch();
                }
                if (kind.equals("RELEASE") && i % 5 == 0) {
                    bind(effects, id, 1L, jobIds.get(0), "push", "127.0.0.1:5000/acme/app:" + version, "sha256:" + sha(i), finished);
                    effects.addBatch();
                    bind(claims, "app", version, "push/app 127.0.0.1:5000/acme/app", id, "sha256:" + sha(i), started);
                    claims.addBatch();
                }
                if (i % 1000 == 999 || i == count - 1) {
                    for (PreparedStatement s : List.of(runs, plans, jobs, attempts, artifacts, logs, effects, claims)) {
                        s.executeBatch();
                    }
                    c.commit();
                }
            }
        }
        System.out.println(middle);
    }

    private static String sha(long n) {
        return String.format("%064x", n);
    }

    private static void bind(PreparedStatement s, Object... values) throws Exception {
        for (int i = 0; i < values.length; i++) {
            s.setObject(i + 1, values[i]);
        }
    }

    private static Connection connect(String location) throws Exception {
        if (!location.startsWith("postgresql://")) {
            return DriverManager.getConnection("jdbc:sqlite:" + location);
        }
        URI uri = URI.create(location);
        String[] user = uri.getUserInfo().split(":", 2);
        return DriverManager.getConnection("jdbc:postgresql://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort())
                + uri.getPath() + "?reWriteBatchedInserts=true", user[0], user.length > 1 ? user[1] : "");
    }
}
