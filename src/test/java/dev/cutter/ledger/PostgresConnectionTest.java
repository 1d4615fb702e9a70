package dev.cutter.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutter.testing.Postgres;
import dev.cutter.testing.TcpProxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What only a ledger on a server has: credentials, a server that is down or restarts, a commit whose answer is lost. */
class PostgresConnectionTest {
    @RegisterExtension
    static final Postgres POSTGRES = new Postgres();

    @TempDir
    Path dir;

    @Test
    void theLocationAndEveryMessageMaskThePassword() {
        try (Ledger ledger = Ledger.open(POSTGRES.url())) {
            assertThat(ledger.location()).isEqualTo("postgresql://" + POSTGRES.user() + ":***@" + POSTGRES.endpoint() + "/"
                    + POSTGRES.database());
            assertThatThrownBy(() -> ledger.heartbeat("r20000101-000000-dead"))
                    .isInstanceOf(LedgerException.class).hasMessageContaining(ledger.location());
        }
        String wrong = "wr0ng-s3cret";
        assertThatThrownBy(() -> Ledger.open(POSTGRES.urlWithoutPassword().replace("@", ":" + wrong + "@")))
                .isInstanceOf(LedgerException.class)
                .hasMessageContaining("the server at " + POSTGRES.endpoint() + " refused user " + POSTGRES.user())
                .hasMessageContaining("PGPASSWORD")
                .message().doesNotContain(wrong);
    }

    @Test
    void anUnreachableServerIsOneClearErrorNamingHostAndPort() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort(); // free, and closed again below: nothing listens there
        }
        long before = System.nanoTime();

        assertThatThrownBy(() -> Ledger.open("postgresql://ops:s3cret@127.0.0.1:" + port + "/ledger"))
                .isInstanceOf(LedgerException.class)
                .hasMessageStartingWith("cannot open the ledger postgresql://ops:***@127.0.0.1:" + port + "/ledger: "
                        + "cannot reach the PostgreSQL server at 127.0.0.1:" + port)
                .hasMessageContaining("start it, or correct the host and port in --ledger or CUTTER_LEDGER")
                .message().doesNotContain("s3cret");
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aMissingDatabaseIsNamed() {
        assertThatThrownBy(() -> Ledger.open(POSTGRES.url() + "_missing"))
                .isInstanceOf(LedgerException.class)
                .hasMessageContaining("has no database " + POSTGRES.database() + "_missing")
                .hasMessageContaining("createdb");
    }

    @Test
    void withoutAPasswordInTheUrlPgpassIsRead() throws Exception {
        Path pgpass = dir.resolve("pgpass");
        Files.writeString(pgpass, POSTGRES.host() + ":" + POSTGRES.port() + ":*:" + POSTGRES.user() + ":" + POSTGRES.password() + "\n");
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));
        String property = "org.postgresql.pgpassfile"; // the driver's own name for PGPASSFILE
        String before = System.getProperty(property);
        try {
            System.setProperty(property, dir.resolve("no-such-file").toString());
            assertThatThrownBy(() -> Ledger.open(POSTGRES.urlWithoutPassword()))
                    .isInstanceOf(LedgerException.class)
                    .hasMessageContaining("refused user " + POSTGRES.user())
                    .hasMessageContaining("~/.pgpass");

            System.setProperty(property, pgpass.toString());
            try (Ledger ledger = Ledger.open(POSTGRES.urlWithoutPassword())) {
                assertThat(ledger.runs(1)).isEmpty();
                assertThat(ledger.location()).doesNotContain(":***@");
            }
        } finally {
            if (before == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, before);
            }
        }
    }

    @Test
    void withoutAPasswordInTheUrlPgpasswordIsRead() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ClaimHolder.class.getName(), POSTGRES.urlWithoutPassword(), "app", "1.0.0")
                .redirectError(dir.resolve("holder.err").toFile());
        builder.environment().put("PGPASSWORD", POSTGRES.password());
        Process holder = builder.start();
        try {
            String line = new String(holder.getInputStream().readNBytes("CLAIMED ".length()), StandardCharsets.UTF_8);
            assertThat(line).as(() -> "the holder's output; its stderr:\n" + read(dir.resolve("holder.err"))).isEqualTo("CLAIMED ");
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void aLedgerWhoseConnectionsAreTerminatedReconnectsOnTheNextCall() throws Exception {
        String name = "cutter-reconnect-test";
        try (Ledger ledger = Ledger.open(POSTGRES.url() + "?application_name=" + name)) {
            String id = ledger.startRun(Runs.of("app", "1.0.0", "a", "b", "c", "d")).id();
            // several threads at once, so the pool holds more than one connection to be cut
            writeFromThreads(ledger, id, "before");

            int terminated = terminateBackendsOf(name);
            assertThat(terminated).as("connections terminated").isGreaterThanOrEqualTo(2);

            ledger.heartbeat(id);
            assertThat(ledger.run(id)).isPresent();
            writeFromThreads(ledger, id, "after");
            assertThat(ledger.logs(id, Optional.empty(), 0, 100)).hasSize(16);

            terminateBackendsOf(name);
            assertThat(ledger.runs(10)).as("a read reconnects too").hasSize(1);
        }
    }

    @Test
    void aConnectionLostWhileCommittingSaysTheOutcomeIsUnknownAndTheNextCallReconnects() throws Exception {
        try (TcpProxy proxy = TcpProxy.start(POSTGRES.host(), POSTGRES.port());
                // prepareThreshold=0: every statement, COMMIT too, goes out as text the proxy can see
                Ledger ledger = Ledger.open(POSTGRES.urlVia(proxy.address()) + "?prepareThreshold=0")) {
            String id = ledger.startRun(Runs.of("app", "1.0.0", "build")).id();
            proxy.cutWhenClientSends("COMMIT");

            assertThatThrownBy(() -> ledger.log(id, "build", "stdout", List.of("compiling")))
                    .isInstanceOf(LedgerException.class)
                    .hasMessageContaining("could not record log lines of job build of run " + id)
                    .hasMessageContaining("the connection to the ledger " + ledger.location() + " was lost while committing")
                    .hasMessageContaining("not known whether it was recorded")
                    .message().doesNotContain(":" + POSTGRES.password() + "@");
            assertThat(proxy.cuts()).isEqualTo(1);

            ledger.log(id, "build", "stdout", List.of("linking"));
            assertThat(ledger.logs(id, Optional.empty(), 0, 10)).extracting(LogLine::text)
                    .as("the cut COMMIT never reached the server").containsExactly("linking");
        }
    }

    @Test
    void aClaimChosenAsADeadlockVictimRunsAgainAndIsGranted() throws Exception {
        String name = "cutter-deadlock-test";
        ExecutorService claimer = Executors.newSingleThreadExecutor();
        try (Ledger ledger = Ledger.open(POSTGRES.url() + "?application_name=" + name);
                Connection other = POSTGRES.connect()) {
            String mine = ledger.startRun(Runs.of("app", "1.0.0")).id();
            String theirs = ledger.startRun(Runs.of("app", "1.0.0")).id();
            other.setAutoCommit(false);
            try (PreparedStatement insert = other.prepareStatement(
                    "INSERT INTO publication_claims (project, version, publication, run_id, fingerprint, claimed_at) "
                            + "VALUES ('app', '1.0.0', '" + ClaimTest.PUSH.keySet().iterator().next() + "', ?, 'x', 0)")) {
                insert.setString(1, theirs);
                insert.executeUpdate(); // not committed: the ledger's claim of the same key waits for it
            }
            Future<Claim> claim = claimer.submit(() -> ledger.claim("app", "1.0.0", mine, ClaimTest.PUSH, Duration.ofMinutes(1), false));
            awaitLockWait(name);

            // the other transaction now wants the claimer's run row, which the claim holds: a cycle.
            // The claim has waited longer, so PostgreSQL's check (after deadlock_timeout) ends the claim's
            // transaction, whose try again must then succeed.
            try (PreparedStatement lock = other.prepareStatement("SELECT id FROM runs WHERE id = ? FOR UPDATE")) {
                lock.setString(1, mine);
                lock.executeQuery().close();
            }
            other.rollback();

            Claim granted = claim.get(30, TimeUnit.SECONDS);
            assertThat(granted.granted()).isTrue();
            assertThat(granted.publications()).allSatisfy(s -> assertThat(s.holder()).isEmpty());
        } finally {
            claimer.shutdownNow();
        }
    }

    private static void awaitLockWait(String applicationName) throws Exception {
        try (Connection c = POSTGRES.connect(); PreparedStatement waiting = c.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = ? AND wait_event_type = 'Lock'")) {
            waiting.setString(1, applicationName);
            for (int i = 0; i < 200; i++) {
                try (ResultSet rs = waiting.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(25); // polling: the claim is on its way to the lock
            }
        }
        throw new AssertionError(applicationName + " never waited for a lock");
    }

    private static void writeFromThreads(Ledger ledger, String id, String tag) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> writers = new ArrayList<>();
            for (String job : List.of("a", "b", "c", "d")) {
                writers.add(pool.submit(() -> {
                    start.await();
                    ledger.log(id, job, "stdout", List.of(tag + " 1", tag + " 2"));
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> writer : writers) {
                writer.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static int terminateBackendsOf(String applicationName) throws Exception {
        try (Connection c = POSTGRES.connect(); PreparedStatement terminate = c.prepareStatement(
                "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        + "WHERE application_name = ? AND datname = current_database()) AS t")) {
            terminate.setString(1, applicationName);
            try (ResultSet rs = terminate.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
