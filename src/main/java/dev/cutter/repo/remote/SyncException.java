package dev.cutter.repo.remote;

import java.io.IOException;
import java.util.Objects;

/** A sync failed; the message names the target (host and path) and what to do. Rerunning the sync converges. */
public final class SyncException extends IOException {
    /** What went wrong, for callers that react differently (retry on {@code CONNECTION}, not on {@code AUTH}). */
    public enum Reason {
        /** The server's host key is unknown or changed. */
        HOST_KEY,
        /** The server refused the key(s). */
        AUTH,
        /** Connecting failed, or the connection was lost mid-way. */
        CONNECTION,
        /** The server refused an operation on a path. */
        PERMISSION,
        /** A write failed with SSH_FX_FAILURE: on OpenSSH that is usually a full disk or quota. */
        WRITE_FAILED,
        /** Another sync holds the target's lock. */
        LOCKED,
        /** Anything else the server answered. */
        OTHER
    }

    private final Reason reason;

    public SyncException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public SyncException(Reason reason, String message) {
        this(reason, message, null);
    }

    public Reason reason() {
        return reason;
    }
}
