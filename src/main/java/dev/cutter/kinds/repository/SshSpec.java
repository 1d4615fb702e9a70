package dev.cutter.kinds.repository;

import dev.cutter.spec.Template;
import java.util.Optional;

/**
 * How an {@code sftp://} publication logs in: a private key and its passphrase (secret
 * references; else the ssh-agent) and the server's host key, as a {@code SHA256:…}
 * fingerprint or a known_hosts file (else ~/.ssh/known_hosts).
 */
public record SshSpec(Optional<Template> key, Optional<Template> passphrase, Optional<String> hostKey,
        Optional<Template> knownHosts) {}
