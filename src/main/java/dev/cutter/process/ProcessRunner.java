package dev.cutter.process;

import java.io.IOException;

/** Runs a program to its end. */
public interface ProcessRunner {
    /**
     * Runs {@code command} and waits for it; interrupted, the program is killed.
     *
     * @throws CannotStart when the program is not there or may not be run
     * @throws TimedOut when it ran longer than the command's timeout; it has been killed
     */
    Result run(Command command) throws IOException, InterruptedException;

    /** Programs on this machine. */
    static ProcessRunner local() {
        return LocalProcessRunner.INSTANCE;
    }

    /** The program could not be started: not installed, or not executable. */
    final class CannotStart extends IOException {
        public CannotStart(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The program ran out of time and was killed. */
    final class TimedOut extends IOException {
        public TimedOut(String message) {
            super(message);
        }
    }
}
