package dev.cutter.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A fake Docker credential helper: a real executable {@code docker-credential-NAME} (a shell
 * script) speaking the helper protocol of docker-credential-helpers as its README describes it,
 * keeping logins in files instead of a keychain. {@code get} and {@code erase} read the server
 * URL on standard input; {@code get} answers {@code {"ServerURL","Username","Secret"}}, or prints
 * "credentials not found in native keychain" and exits 1, as every helper of that project does;
 * {@code store} reads that object. Every call is logged (action and input) for assertions, and
 * {@link #failWith} makes it fail as a locked keychain does.
 */
public final class FakeCredentialHelper {
    private final Path bin;
    private final Path state;
    private final String name;

    private FakeCredentialHelper(Path bin, Path state, String name) {
        this.bin = bin;
        this.state = state;
        this.name = name;
    }

    /** {@code bin/docker-credential-NAME}, its logins kept beside {@code bin}. */
    public static FakeCredentialHelper install(Path bin, String name) throws IOException {
        Files.createDirectories(bin);
        Path state = Files.createDirectories(bin.resolveSibling(name + "-logins"));
        Path script = bin.resolve("docker-credential-" + name);
        Files.writeString(script, """
                #!/bin/sh
                state='%s'
                input=$(cat)
                printf '%%s %%s\\n' "$1" "$input" >> "$state/calls.log"
                if [ -f "$state/fail" ]; then cat "$state/fail"; exit 1; fi
                key() { printf '%%s' "$1" | sha256sum | cut -c1-32; }
                case "$1" in
                  get)
                    if [ -f "$state/$(key "$input")" ]; then cat "$state/$(key "$input")"; exit 0; fi
                    echo "credentials not found in native keychain"; exit 1 ;;
                  store)
                    server=$(printf '%%s' "$input" | sed -n 's/.*"ServerURL":"\\([^"]*\\)".*/\\1/p')
                    printf '%%s' "$input" > "$state/$(key "$server")" ;;
                  erase)
                    if [ -f "$state/$(key "$input")" ]; then rm "$state/$(key "$input")"; exit 0; fi
                    echo "credentials not found in native keychain"; exit 1 ;;
                  list) echo '{}' ;;
                  *) echo "unknown action: $1"; exit 1 ;;
                esac
                """.formatted(state));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new FakeCredentialHelper(bin, state, name);
    }

    public String name() {
        return name;
    }

    /** {@code environment} with this helper's directory first on its PATH. */
    public Map<String, String> onPath(Map<String, String> environment) {
        var env = new java.util.HashMap<>(environment);
        env.put("PATH", bin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        return env;
    }

    /** Holds a login for {@code serverUrl}, as a {@code store} would have left it. */
    public FakeCredentialHelper holds(String serverUrl, String username, String secret) throws IOException {
        Files.writeString(state.resolve(key(serverUrl)), "{\"ServerURL\":\"" + serverUrl + "\",\"Username\":\"" + username
                + "\",\"Secret\":\"" + secret + "\"}");
        return this;
    }

    /** What it keeps for {@code serverUrl}: the JSON {@code store} was given. */
    public Optional<String> stored(String serverUrl) throws IOException {
        Path file = state.resolve(key(serverUrl));
        return Files.exists(file) ? Optional.of(Files.readString(file)) : Optional.empty();
    }

    /** Every call so far: the action, a space, what it read. */
    public List<String> calls() throws IOException {
        Path log = state.resolve("calls.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    /** From now on every call prints {@code message} and exits 1. */
    public void failWith(String message) throws IOException {
        Files.writeString(state.resolve("fail"), message + "\n");
    }

    private static String key(String serverUrl) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(serverUrl.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(hash).substring(0, 32);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
