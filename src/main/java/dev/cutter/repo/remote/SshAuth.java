package dev.cutter.repo.remote;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How to log in and which server to trust.
 *
 * <p>Identity: a private key given as text (OpenSSH {@code -----BEGIN OPENSSH PRIVATE KEY-----} or
 * PEM; ed25519, ECDSA or RSA) with an optional passphrase — the caller resolves secrets, nothing is
 * read from {@code ~/.ssh/id_*} — or, when no key is given, the keys the ssh-agent at
 * {@code SSH_AUTH_SOCK} holds (through the JDK's Unix domain sockets). Only public-key
 * authentication is offered: never a password.
 *
 * <p>Server: {@link HostKeys}: a known_hosts file (hashed entries and {@code [host]:port} are
 * understood) or one explicit {@code SHA256:} fingerprint, as {@code ssh-keygen -lf} prints it. An
 * unknown or changed host key is refused, naming the fingerprint the server presented.
 */
public record SshAuth(Optional<String> privateKey, Optional<String> passphrase, HostKeys hostKeys) {
    public SshAuth {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(passphrase, "passphrase");
        Objects.requireNonNull(hostKeys, "hostKeys");
        if (passphrase.isPresent() && privateKey.isEmpty()) {
            throw new IllegalArgumentException("a passphrase needs a private key");
        }
    }

    /** Logs in with {@code privateKey} (key text, not a path), trusting ~/.ssh/known_hosts. */
    public static SshAuth key(String privateKey) {
        return new SshAuth(Optional.of(privateKey), Optional.empty(), HostKeys.defaultKnownHosts());
    }

    /** Logs in with the ssh-agent's keys, trusting ~/.ssh/known_hosts. */
    public static SshAuth agent() {
        return new SshAuth(Optional.empty(), Optional.empty(), HostKeys.defaultKnownHosts());
    }

    public SshAuth withPassphrase(String passphrase) {
        return new SshAuth(privateKey, Optional.of(passphrase), hostKeys);
    }

    public SshAuth trusting(HostKeys hostKeys) {
        return new SshAuth(privateKey, passphrase, hostKeys);
    }

    /** Whether the ssh-agent is used (no key given). */
    public boolean usesAgent() {
        return privateKey.isEmpty();
    }

    /** Never prints key material. */
    @Override
    public String toString() {
        return "SshAuth[" + (usesAgent() ? "ssh-agent" : "private key" + (passphrase.isPresent() ? " with passphrase" : ""))
                + ", " + hostKeys + "]";
    }

    /** Which host keys are trusted. */
    public sealed interface HostKeys {
        /** ~/.ssh/known_hosts. */
        static HostKeys defaultKnownHosts() {
            return new KnownHostsFile(Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"));
        }

        static HostKeys knownHosts(Path file) {
            return new KnownHostsFile(file);
        }

        static HostKeys fingerprint(String sha256) {
            return new Fingerprint(sha256);
        }
    }

    /** Trust the keys a known_hosts file lists for the host (a missing file trusts nothing). */
    public record KnownHostsFile(Path file) implements HostKeys {
        public KnownHostsFile {
            Objects.requireNonNull(file, "file");
        }
    }

    /** Trust exactly one key, by its {@code SHA256:<base64 without padding>} fingerprint. */
    public record Fingerprint(String sha256) implements HostKeys {
        private static final Pattern FORMAT = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}");

        public Fingerprint {
            Objects.requireNonNull(sha256, "sha256");
            if (!FORMAT.matcher(sha256).matches()) {
                throw new IllegalArgumentException("host key fingerprint must look like SHA256:<43 base64 characters>"
                        + " (ssh-keygen -lf prints it): " + sha256);
            }
        }
    }
}
