package dev.cutter.oci;

/**
 * An image repository: {@code host[:port]/path}, split at the first slash. What a registry is
 * asked about and what credentials are found for; the registry's client, the logins and the token
 * service all speak of it, so it is a type of its own rather than one of theirs.
 */
public record Repository(String host, String path) {
    /** {@code repository} split at its first slash; a name without one is not a repository. */
    public static Repository parse(String repository) {
        int slash = repository.indexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("'" + repository + "' is not host/path");
        }
        return new Repository(repository.substring(0, slash), repository.substring(slash + 1));
    }

    @Override
    public String toString() {
        return host + "/" + path;
    }
}
