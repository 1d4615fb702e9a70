package dev.cutter.cli;

/**
 * A command's own refusal or failure, with the exit code it ends with: thrown rather than printed,
 * so {@link ErrorHandler} tells it as every other failure (one line each, and under {@code --json}
 * one error object).
 */
final class CommandFailure extends RuntimeException {
    private final int code;

    CommandFailure(int code, String message) {
        super(message);
        this.code = code;
    }

    int code() {
        return code;
    }
}
