package dev.cutter.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;

/**
 * The CNCF distribution registry (Debian's docker-registry) on a free loopback port, with its
 * storage in a temporary directory, for as long as the test holds it.
 */
public final class LocalRegistry implements AutoCloseable {
    private static final java.util.Set<Integer> USED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Process process;
    private final Path root;
    private final int port;

    private LocalRegistry(Process process, Path root, int port) {
        this.process = process;
        this.root = root;
        this.port = port;
    }

    public static LocalRegistry start() throws IOException, InterruptedException {
        return start(null, null);
    }

    /** A registry that wants basic auth from {@code user} with {@code password} (an htpasswd file, bcrypt). */
    public static LocalRegistry withBasicAuth(String user, String password) throws IOException, InterruptedException {
        return start(user, password);
    }

    /**
     * A registry that wants Bearer tokens from {@code tokens} (Docker's token authentication, as
     * Docker Hub does it): it challenges with that realm and service {@value TokenServer#SERVICE},
     * and verifies each token's signature against the service's certificate, its issuer,
     * audience, expiry and the actions it grants on the repository.
     */
    public static LocalRegistry withTokenAuth(TokenServer tokens) throws IOException, InterruptedException {
        return start(null, null, """
                auth:
                  token:
                    realm: %s
                    service: %s
                    issuer: %s
                    rootcertbundle: %s
                """.formatted(tokens.realm(), TokenServer.SERVICE, TokenServer.ISSUER, tokens.certificate()));
    }

    /**
     * A registry that takes manifests whose non-distributable (foreign) layers it does not hold,
     * when their {@code urls} are http or https: docker-registry's default allows no such URL.
     */
    public static LocalRegistry allowingForeignLayers() throws IOException, InterruptedException {
        return start(null, null, """
                validation:
                  manifests:
                    urls:
                      allow:
                        - ^https?://
                """);
    }

    private static LocalRegistry start(String user, String password) throws IOException, InterruptedException {
        return start(user, password, "");
    }

    private static LocalRegistry start(String user, String password, String auth) throws IOException, InterruptedException {
        Path binary = Tools.require("docker-registry", "docker-registry");
        Path root = Files.createTempDirectory("registry");
        int port;
        do { // a port handed out once is never handed out again in this JVM: two registries starting
            try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort(); // at once could otherwise be given the same free port
            }
        } while (!USED.add(port));
        Path config = root.resolve("config.yml");
        if (user != null) {
            byte[] salt = new byte[16];
            new java.security.SecureRandom().nextBytes(salt);
            String hash = org.bouncycastle.crypto.generators.OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, 5);
            Files.writeString(root.resolve("htpasswd"), user + ":" + hash + "\n");
            auth = "auth:\n  htpasswd:\n    realm: cutter-test\n    path: " + root.resolve("htpasswd") + "\n";
        }
        Files.writeString(config, auth + """
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                """.formatted(root.resolve("data"), port));
        Process process = new ProcessBuilder(binary.toString(), "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(root.resolve("registry.log").toFile()).start();
        LocalRegistry registry = new LocalRegistry(process, root, port);
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                var response = http.send(HttpRequest.newBuilder(URI.create(registry.url() + "/v2/")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200 || response.statusCode() == 401) { // 401: up, and wanting credentials
                    Thread.sleep(50); // a registry that lost the port to another process exits right after binding fails
                    if (!process.isAlive()) {
                        throw new IllegalStateException("docker-registry exited: " + Files.readString(root.resolve("registry.log")));
                    }
                    return registry;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("docker-registry exited: " + Files.readString(root.resolve("registry.log")));
            }
            Thread.sleep(50); // waiting for the registry to listen
        }
        registry.close();
        throw new IllegalStateException("docker-registry did not answer on port " + port + " within 20 s");
    }

    /** One request the registry answered, as its access log tells it. */
    public record Request(String method, String path, int status) {}

    private static final java.util.regex.Pattern ACCESS = java.util.regex.Pattern.compile("\"([A-Z]+) (\\S+) HTTP/[0-9.]+\" (\\d{3}) ");

    /** Every request the registry has answered so far, in order (its access log, which it writes at every log level). */
    public java.util.List<Request> requests() throws IOException {
        java.util.List<Request> out = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(root.resolve("registry.log"))) {
            java.util.regex.Matcher m = ACCESS.matcher(line);
            if (m.find()) {
                out.add(new Request(m.group(1), m.group(2), Integer.parseInt(m.group(3))));
            }
        }
        return out;
    }

    /** {@code 127.0.0.1:PORT}, as a spec's registry url. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    public String url() {
        return "http://" + address();
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
