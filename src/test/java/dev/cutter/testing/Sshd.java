package dev.cutter.testing;

import dev.cutter.repo.remote.SftpTarget;
import dev.cutter.repo.remote.SshAuth;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real OpenSSH sshd on a free loopback port, with its own host key and one authorized user key,
 * serving SFTP with internal-sftp, or with a logging sftp-server ({@link #log}).
 */
public final class Sshd implements AutoCloseable {
    public final Path dir;
    public final int port;
    public final Path hostKey;
    public final Path userKey;
    public final Path knownHosts;
    public final Path log;
    private final Process process;

    private Sshd(Path dir, int port, Path hostKey, Path userKey, Path knownHosts, Path log, Process process) {
        this.dir = dir;
        this.port = port;
        this.hostKey = hostKey;
        this.userKey = userKey;
        this.knownHosts = knownHosts;
        this.log = log;
        this.process = process;
    }

    public static Sshd start(Path dir) throws IOException, InterruptedException {
        return start(dir, false);
    }

    /**
     * With {@code logSftp}, the SFTP server is OpenSSH's sftp-server process logging every operation
     * to {@code sftp.log} in {@code dir} (internal-sftp can only log to syslog or to the client).
     */
    public static Sshd start(Path dir, boolean logSftp) throws IOException, InterruptedException {
        Path sshd = Tools.require("sshd", "openssh-server");
        Tools.require("ssh-keygen", "openssh-client");
        dir = Files.createDirectories(dir.toAbsolutePath());
        Path hostKey = dir.resolve("host_ed25519");
        Path userKey = dir.resolve("user_ed25519");
        keygen(hostKey, "ed25519", List.of());
        keygen(userKey, "ed25519", List.of());
        Files.createDirectories(Path.of("/run/sshd")); // privilege separation directory
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path authorized = Files.copy(dir.resolve("user_ed25519.pub"), dir.resolve("authorized_keys"));
        Path config = Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                "ListenAddress 127.0.0.1",
                "HostKey " + hostKey,
                "PidFile none",
                "UsePAM no",
                "StrictModes no",
                "AuthorizedKeysFile " + authorized,
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "LogLevel VERBOSE",
                "Subsystem sftp " + (logSftp ? sftpServer() + " -e -l INFO 2>>" + dir.resolve("sftp.log") : "internal-sftp"),
                ""));
        Path log = logSftp ? dir.resolve("sftp.log") : dir.resolve("sshd.log");
        Files.write(log, new byte[0]);
        Process process = new ProcessBuilder(sshd.toString(), "-D", "-e", "-p", String.valueOf(port), "-f", config.toString(),
                "-E", dir.resolve("sshd.log").toString()).redirectErrorStream(true).redirectOutput(dir.resolve("sshd.out").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                break;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new AssertionError("sshd did not start: " + Files.readString(dir.resolve("sshd.out"))
                            + Files.readString(dir.resolve("sshd.log")));
                }
                Thread.sleep(50); // polling until sshd listens
            }
        }
        String hostPub = Files.readString(dir.resolve("host_ed25519.pub"), StandardCharsets.UTF_8).trim();
        String[] parts = hostPub.split(" ");
        Path knownHosts = Files.writeString(dir.resolve("known_hosts"), "[127.0.0.1]:" + port + " " + parts[0] + " " + parts[1] + "\n");
        return new Sshd(dir, port, hostKey, userKey, knownHosts, log, process);
    }

    private static Path sftpServer() {
        Path p = Path.of("/usr/lib/openssh/sftp-server");
        if (!Files.isExecutable(p)) {
            throw new AssertionError(p + " is not installed; run scripts/setup (or: apt-get install -y openssh-sftp-server)");
        }
        return p;
    }

    public static void keygen(Path key, String type, List<String> extra) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", "", "-C", "cutter-test", "-f", key.toString()));
        if (!extra.isEmpty()) {
            cmd = new java.util.ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-C", "cutter-test", "-f", key.toString()));
            cmd.addAll(extra);
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new AssertionError("ssh-keygen failed: " + out);
        }
    }

    /** The host key's fingerprint, as ssh-keygen -l prints it. */
    public String fingerprint() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ssh-keygen", "-l", "-E", "sha256", "-f", dir.resolve("host_ed25519.pub").toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out.split(" ")[1];
    }

    public SftpTarget target(Path remote) {
        return new SftpTarget(System.getProperty("user.name"), "127.0.0.1", port, remote.toAbsolutePath().toString());
    }

    public SshAuth auth() throws IOException {
        return SshAuth.key(Files.readString(userKey)).trusting(SshAuth.HostKeys.knownHosts(knownHosts));
    }

    /** Kills the processes serving connections (as a network reset would), leaving the listener running. */
    public void dropConnections() {
        process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
    }

    public String logText() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroy();
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
