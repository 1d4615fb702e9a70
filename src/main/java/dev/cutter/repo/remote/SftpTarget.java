package dev.cutter.repo.remote;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/**
 * Where a repository is published: {@code sftp://[USER@]HOST[:PORT]/PATH}.
 *
 * <p>{@code path} is absolute ({@code sftp://host/srv/repo} → {@code /srv/repo}); a path starting
 * with {@code /~/} is relative to the login directory ({@code sftp://host/~/repo} → {@code repo}),
 * as scp and sftp read it. {@code user} is empty when the URI names none: the local user name is
 * used then.
 */
public record SftpTarget(String user, String host, int port, String path) {
    public static final int DEFAULT_PORT = 22;

    public SftpTarget {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(path, "path");
        if (host.isBlank()) {
            throw new IllegalArgumentException("SFTP target has no host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("SFTP port " + port + " is not in 1..65535");
        }
        if (path.isEmpty() || path.equals("/")) {
            throw new IllegalArgumentException("SFTP target " + host + " has no directory: refusing to mirror into /");
        }
        for (String segment : path.split("/")) {
            if (segment.equals("..") || segment.equals(".")) {
                throw new IllegalArgumentException("SFTP path " + path + " contains '" + segment + "'");
            }
        }
    }

    /** Parses {@code sftp://[USER@]HOST[:PORT]/PATH}; IPv6 hosts go in brackets ({@code sftp://[::1]:2222/srv}). */
    public static SftpTarget parse(String uri) {
        Objects.requireNonNull(uri, "uri");
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not an SFTP URI (sftp://[USER@]HOST[:PORT]/PATH): " + uri + ": " + e.getReason());
        }
        if (!"sftp".equalsIgnoreCase(parsed.getScheme())) {
            throw new IllegalArgumentException("not an SFTP URI (expected sftp://[USER@]HOST[:PORT]/PATH): " + uri);
        }
        if (parsed.getHost() == null) {
            throw new IllegalArgumentException("SFTP URI has no host (or an invalid one): " + uri);
        }
        if (parsed.getRawQuery() != null || parsed.getRawFragment() != null) {
            throw new IllegalArgumentException("SFTP URI may not have a query or fragment: " + uri);
        }
        String userInfo = parsed.getUserInfo();
        if (userInfo != null && userInfo.contains(":")) {
            throw new IllegalArgumentException("SFTP URI may not carry a password (use a key or the ssh-agent): "
                    + uri.replace(userInfo, userInfo.substring(0, userInfo.indexOf(':')) + ":***"));
        }
        String path = parsed.getPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            throw new IllegalArgumentException("SFTP URI has no directory path: " + uri);
        }
        if (path.startsWith("/~/")) {
            path = path.substring(3);
        }
        while (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String host = parsed.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new SftpTarget(userInfo == null ? "" : userInfo, host, parsed.getPort() == -1 ? DEFAULT_PORT : parsed.getPort(), path);
    }

    /** The user to log in as: {@link #user} or, when empty, the local user name. */
    public String effectiveUser() {
        return user.isEmpty() ? System.getProperty("user.name") : user;
    }

    /** The host as known_hosts names it: {@code host}, or {@code [host]:port} off port 22. */
    public String knownHostsName() {
        return port == DEFAULT_PORT ? host : "[" + host + "]:" + port;
    }

    /** {@code sftp://user@host:port/path}, for messages and logs. */
    @Override
    public String toString() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "sftp://" + (user.isEmpty() ? "" : user + "@") + h + (port == DEFAULT_PORT ? "" : ":" + port)
                + (path.startsWith("/") ? path : "/~/" + path);
    }
}
