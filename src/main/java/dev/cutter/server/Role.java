package dev.cutter.server;

import io.javalin.security.RouteRole;
import java.util.Locale;

/**
 * What a token may do. Each role may do what the ones before it may: a viewer reads, a releaser
 * also starts releases and promotions and cancels runs (in its channels), an admin also reads
 * the audit trail and is not limited to channels.
 */
public enum Role implements RouteRole {
    VIEWER, RELEASER, ADMIN;

    public boolean includes(Role other) {
        return ordinal() >= other.ordinal();
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code viewer}, {@code releaser} or {@code admin}. */
    public static Role parse(String text) {
        for (Role role : values()) {
            if (role.label().equals(text.strip().toLowerCase(Locale.ROOT))) {
                return role;
            }
        }
        throw new IllegalArgumentException("role '" + text + "': give viewer, releaser or admin");
    }
}
