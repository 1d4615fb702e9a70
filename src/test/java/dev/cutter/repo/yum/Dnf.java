package dev.cutter.repo.yum;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.SimpleFileServer;
import dev.cutter.pkg.rpm.RpmSamples;
import dev.cutter.testing.Tools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * The real dnf, through {@link DnfClient}, against a repository served over HTTP on loopback;
 * each run in a fresh throwaway install root and cache, every output kept for assertions.
 */
final class Dnf implements AutoCloseable {
    private final HttpServer server;
    private final Path work;
    private final boolean gpgcheck;
    private int runs;

    Dnf(Path repositoryRoot, Path work, boolean gpgcheck) throws IOException {
        Tools.require("dnf", "dnf");
        this.work = work;
        this.gpgcheck = gpgcheck;
        server = SimpleFileServer.createFileServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                repositoryRoot.toAbsolutePath(), SimpleFileServer.OutputLevel.NONE);
        server.start();
    }

    /** Runs dnf with {@code arguments} in a fresh install root and cache; returns exit and output. */
    RpmSamples.Result run(String... arguments) {
        try {
            DnfClient client = new DnfClient(work.resolve("run-" + (++runs)), "http://127.0.0.1:" + server.getAddress().getPort() + "/",
                    RpmSamples.PUBLIC_KEY, gpgcheck, "x86_64");
            return RpmSamples.run(client.command(arguments));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path lastRoot() {
        return work.resolve("run-" + runs).resolve("root");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
