package dev.cutter.server;

/** A request the server answers with {@code status} and one clear message (no stack trace). */
final class Refusal extends RuntimeException {
    private final int status;

    Refusal(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
