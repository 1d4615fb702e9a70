package dev.cutter.repo.apt;

import dev.cutter.pkg.deb.Run;
import dev.cutter.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real apt-get and apt-cache through {@link AptClient}'s throwaway root, with every output
 * kept for assertions; {@code apt-get download} writes into {@link #downloads()}.
 */
final class AptGet {
    private final AptClient client;
    private final Path downloads;

    AptGet(Path home, String url, Path keyring) throws IOException {
        Tools.require("apt-get", "apt");
        client = new AptClient(home, url, "stable", "main", keyring, "amd64");
        downloads = Files.createDirectories(home.resolve("download"));
    }

    Path downloads() {
        return downloads;
    }

    Run.Result run(String program, String... args) {
        return Run.run(client.command(program, args), client.environment(), downloads);
    }
}
