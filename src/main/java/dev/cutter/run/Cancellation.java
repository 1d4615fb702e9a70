package dev.cutter.run;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A signal to stop: Ctrl-C, a timeout or fail-fast. Long-running work checks it or registers a hook. */
public final class Cancellation {
    private volatile String reason;
    private final List<Runnable> hooks = new CopyOnWriteArrayList<>();

    public boolean isCancelled() {
        return reason != null;
    }

    public String reason() {
        return reason;
    }

    public void cancel(String why) {
        if (reason == null) {
            reason = why;
            hooks.forEach(Runnable::run);
        }
    }

    /**
     * Runs {@code hook} on cancellation (at once if already cancelled), e.g. to destroy a process.
     *
     * @return what takes the hook away again, once what it would stop has ended: a run's signal
     *     outlives its jobs, and the hooks of 100,000 ended jobs are not kept (nor copied on each add)
     */
    public Runnable onCancel(Runnable hook) {
        hooks.add(hook);
        if (reason != null) {
            hook.run();
        }
        return () -> hooks.remove(hook);
    }

    /** How many hooks wait for a cancellation now. */
    int hooks() {
        return hooks.size();
    }

    public void throwIfCancelled() {
        if (reason != null) {
            throw new CancelledException(reason);
        }
    }

    /** Thrown out of a job that stopped because it was told to. */
    public static final class CancelledException extends RuntimeException {
        public CancelledException(String reason) {
            super(reason);
        }
    }
}
