package dev.cutter.server;

import java.util.List;

/**
 * Who is calling: the token a request carried (itself, or through a browser session).
 *
 * @param channels the channels it may release or promote to; {@code *} for any
 */
public record Principal(String tokenId, String name, Role role, List<String> channels) {
    public Principal {
        channels = List.copyOf(channels);
    }

    /** Whether it may publish into {@code channel}: a releaser within its channels, an admin anywhere. */
    public boolean mayPublishTo(String channel) {
        return role == Role.ADMIN || (role.includes(Role.RELEASER) && (channels.contains("*") || channels.contains(channel)));
    }

    /** How the audit trail names it. */
    public String actor() {
        return "token " + tokenId + " (" + name + ")";
    }
}
