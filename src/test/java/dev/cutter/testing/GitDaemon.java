package dev.cutter.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** {@code git daemon} serving {@code base} on a free loopback port, push enabled. */
public final class GitDaemon implements AutoCloseable {
    public final int port;
    private final Process process;

    public GitDaemon(Path base) throws IOException, InterruptedException {
        Tools.require("git", "git");
        int free;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            free = s.getLocalPort();
        }
        port = free;
        process = new ProcessBuilder("git", "daemon", "--reuseaddr", "--base-path=" + base, "--export-all",
                "--enable=receive-pack", "--listen=127.0.0.1", "--port=" + port, "--informative-errors", base.toString())
                .redirectErrorStream(true).redirectOutput(base.resolve("daemon.log").toFile()).start();
        for (int i = 0; i < 100; i++) {
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new AssertionError("git daemon exited: " + Files.readString(base.resolve("daemon.log")));
                }
                Thread.sleep(50); // polling until git daemon listens
            }
        }
        throw new AssertionError("git daemon did not listen on 127.0.0.1:" + port);
    }

    public String url(String repo) {
        return "git://127.0.0.1:" + port + "/" + repo;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
