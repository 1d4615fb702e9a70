package dev.cutter.oci;

import java.util.Set;

/**
 * A registry as logins name it. Docker and podman write the same registry in several spellings:
 * with a scheme and a path ({@code https://ghcr.io/v2/}), and Docker Hub under four names
 * ({@code https://index.docker.io/v1/}, {@code index.docker.io}, {@code docker.io},
 * {@code registry-1.docker.io}). Each spelling reduces to one {@link #name}: the host and port,
 * and {@code docker.io} for Docker Hub.
 *
 * @param name {@code host[:port]}, or {@value #DOCKER_HUB} for Docker Hub
 */
public record RegistryHost(String name) {
    /** Docker Hub's name in image references and in podman's {@code auth.json}. */
    public static final String DOCKER_HUB = "docker.io";
    /** Docker Hub's key in Docker's {@code config.json}, and what Docker asks its credential helpers for. */
    public static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";
    /** Where Docker Hub's registry API answers. */
    public static final String DOCKER_HUB_API = "registry-1.docker.io";
    private static final Set<String> DOCKER_HUB_ALIASES = Set.of(DOCKER_HUB, "index.docker.io", DOCKER_HUB_API);

    public RegistryHost {
        if (name.isEmpty() || name.contains("/") || name.chars().anyMatch(c -> c <= ' ' || c == '@')) {
            throw new IllegalArgumentException("'" + name + "' is not a registry's host[:port]");
        }
    }

    /**
     * The registry {@code text} names, in any of the spellings logins use: {@code host[:port]},
     * {@code scheme://host[:port]/path}, or one of Docker Hub's names.
     */
    public static RegistryHost of(String text) {
        String stripped = text.strip();
        int scheme = stripped.indexOf("://");
        if (scheme >= 0) {
            stripped = stripped.substring(scheme + 3);
        }
        int slash = stripped.indexOf('/');
        String host = slash < 0 ? stripped : stripped.substring(0, slash);
        if (host.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' names no registry; write HOST[:PORT], e.g. ghcr.io or docker.io");
        }
        return new RegistryHost(DOCKER_HUB_ALIASES.contains(host.toLowerCase(java.util.Locale.ROOT)) ? DOCKER_HUB : host);
    }

    /**
     * Whether a login file's key ({@code auths} or {@code credHelpers}) names this whole registry,
     * in any spelling. A key with a path but no scheme ({@code quay.io/acme}) names a namespace
     * of it, not the registry (podman's {@code auth.json} keeps such keys); a URL's path is
     * dropped, as Docker drops it.
     */
    public boolean isNamedBy(String key) {
        if (!key.contains("://") && key.contains("/")) {
            return false;
        }
        try {
            return of(key).equals(this);
        } catch (IllegalArgumentException e) {
            return false; // a key that names no registry names none
        }
    }

    public boolean isDockerHub() {
        return name.equals(DOCKER_HUB);
    }

    /**
     * The key Docker's {@code config.json} keeps this registry's login under, which is also the
     * server URL Docker hands a credential helper: the host, or {@value #DOCKER_HUB_KEY}.
     */
    public String dockerKey() {
        return isDockerHub() ? DOCKER_HUB_KEY : name;
    }

    /** Where the API of the registry at {@code host} answers: {@code host}, or {@value #DOCKER_HUB_API} for Docker Hub's names. */
    public static String apiHostOf(String host) {
        return DOCKER_HUB_ALIASES.contains(host.toLowerCase(java.util.Locale.ROOT)) ? DOCKER_HUB_API : host;
    }

    /** The host the registry API is spoken to at: the host, or {@value #DOCKER_HUB_API}. */
    public String apiHost() {
        return isDockerHub() ? DOCKER_HUB_API : name;
    }

    @Override
    public String toString() {
        return name;
    }
}
