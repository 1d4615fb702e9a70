package dev.cutter.cli;

/** Cutter's exit codes (DESIGN §8), named once. */
public final class ExitCode {
    public static final int OK = 0;
    /** A job failed. */
    public static final int JOB_FAILED = 1;
    /** Bad input: spec, arguments, tag. */
    public static final int BAD_INPUT = 2;
    /** Refused by a law: immutable tag, version exists, forward-only. */
    public static final int REFUSED = 3;
    /** A target cannot be reached or refuses our credentials. */
    public static final int UNREACHABLE = 4;
    /** Interrupted (Ctrl-C): the run is recorded as cancelled and can be resumed. 128 + SIGINT, as shells do. */
    public static final int CANCELLED = 130;

    private ExitCode() {}

    /** How a release, promotion or verification ended, as the exit code the command returns. */
    static int of(dev.cutter.run.Outcome.Status status) {
        return switch (status) {
            case RELEASED, NOTHING_TO_DO -> OK;
            case FAILED -> JOB_FAILED;
            case REFUSED -> REFUSED;
            case UNREACHABLE -> UNREACHABLE;
            case CANCELLED -> CANCELLED;
        };
    }
}
