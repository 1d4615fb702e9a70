package dev.cutter.repo.yum;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.SimpleFileServer;
import dev.cutter.pkg.rpm.RpmSamples;
import dev.cutter.testing.Tools;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The real dnf against a repository served over HTTP on loopback, in a throwaway install root
 * with its own configuration and cache: nothing of the host's dnf setup is used or changed.
 */
final class Dnf implements AutoCloseable {
    private final HttpServer server;
    private final Path work;
    private final Path repos;
    private final Path config;
    private int runs;

    Dnf(Path repositoryRoot, Path work, boolean gpgcheck) throws IOException {
        Tools.require("dnf", "dnf");
        this.work = work;
        server = SimpleFileServer.createFileServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                repositoryRoot.toAbsolutePath(), SimpleFileServer.OutputLevel.NONE);
        server.start();
        repos = Files.createDirectories(work.resolve("repos.d"));
        config = work.resolve("dnf.conf");
        Files.writeString(config, """
                [main]
                gpgcheck=%d
                skip_if_unavailable=False
                install_weak_deps=False
                keepcache=False
                """.formatted(gpgcheck ? 1 : 0));
        Files.writeString(repos.resolve("cutter.repo"), """
                [cutter]
                name=Cutter test repository
                baseurl=http://127.0.0.1:%d/
                enabled=1
                repo_gpgcheck=1
                gpgcheck=%d
                gpgkey=file://%s
                metadata_expire=0
                skip_if_unavailable=False
                """.formatted(server.getAddress().getPort(), gpgcheck ? 1 : 0,
                RpmSamples.PUBLIC_KEY.toAbsolutePath()));
    }

    /** Runs dnf with {@code arguments} in a fresh install root and cache; returns exit and output. */
    RpmSamples.Result run(String... arguments) {
        Path root = work.resolve("root-" + (++runs));
        try {
            Files.createDirectories(root.resolve("log"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of("dnf", "-y", "--installroot=" + root,
                "--setopt=reposdir=" + repos, "--config=" + config, "--releasever=1", "--forcearch=x86_64",
                "--setopt=cachedir=" + root.resolve("cache"), "--setopt=*.skip_if_unavailable=0",
                "--setopt=logdir=" + root.resolve("log"), "--disablerepo=*", "--enablerepo=cutter"));
        command.addAll(List.of(arguments));
        return RpmSamples.run(command);
    }

    Path lastRoot() {
        return work.resolve("root-" + runs);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
