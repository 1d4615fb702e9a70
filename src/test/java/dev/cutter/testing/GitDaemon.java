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
        this(base, null);
    }

    /**
     * The daemon, telling every request it serves (a fetch, an {@code ls-remote}, a push) as a
     * line {@code SERVICE PATH} of {@code requests}, through git daemon's {@code --access-hook},
     * so a test sees what was asked and when.
     */
    public GitDaemon(Path base, Path requests) throws IOException, InterruptedException {
        Tools.require("git", "git");
        int free;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            free = s.getLocalPort();
        }
        port = free;
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("git", "daemon", "--reuseaddr",
                "--base-path=" + base, "--export-all", "--enable=receive-pack", "--listen=127.0.0.1", "--port=" + port,
                "--informative-errors"));
        if (requests != null) {
            Path hook = base.resolve("access-hook");
            Files.writeString(hook, "#!/bin/sh\necho \"$1 $2\" >> '" + requests + "'\n");
            hook.toFile().setExecutable(true);
            command.add("--access-hook=" + hook);
        }
        command.add(base.toString());
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(base.resolve("daemon.log").toFile()).start();
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
