package dev.cutter.repo.apt;

import dev.cutter.pkg.deb.Run;
import dev.cutter.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real apt-get and apt-cache in a throwaway root: their own state, cache, sources list and
 * empty dpkg status under {@code home}; nothing of the system's apt configuration, keyrings or
 * lists is read or written, no lock taken, no proxy used.
 */
final class AptGet {
    private final Path home;
    private final Path sources;

    AptGet(Path home, String sourcesLine) throws IOException {
        Tools.require("apt-get", "apt");
        this.home = home;
        Files.createDirectories(home.resolve("state/lists/partial"));
        Files.createDirectories(home.resolve("cache/archives/partial"));
        Files.createDirectories(home.resolve("download"));
        Files.writeString(home.resolve("status"), "");
        sources = Files.writeString(home.resolve("sources.list"), sourcesLine + "\n");
    }

    Path downloads() {
        return home.resolve("download");
    }

    Run.Result run(String program, String... args) {
        List<String> command = new ArrayList<>(List.of(program,
                "-o", "Dir::State=" + home.resolve("state"),
                "-o", "Dir::State::status=" + home.resolve("status"),
                "-o", "Dir::Cache=" + home.resolve("cache"),
                "-o", "Dir::Etc::SourceList=" + sources,
                "-o", "Dir::Etc::SourceParts=/dev/null",
                "-o", "Dir::Etc::Trusted=/dev/null",
                "-o", "Dir::Etc::TrustedParts=/dev/null",
                "-o", "Dir::Etc::Preferences=/dev/null",
                "-o", "Dir::Etc::PreferencesParts=/dev/null",
                "-o", "Debug::NoLocking=1",
                "-o", "APT::Architecture=amd64",
                "-o", "APT::Architectures::=amd64",
                "-o", "APT::Sandbox::User=root",
                "-o", "Acquire::Languages=none",
                "-o", "Acquire::Retries=0",
                "-o", "Acquire::http::Proxy::127.0.0.1=DIRECT"));
        command.addAll(List.of(args));
        Map<String, String> env = new HashMap<>();
        env.put("DEBIAN_FRONTEND", "noninteractive");
        env.put("http_proxy", "");
        env.put("HTTP_PROXY", "");
        return Run.run(command, env, downloads());
    }
}
