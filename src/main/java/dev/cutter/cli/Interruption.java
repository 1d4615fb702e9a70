package dev.cutter.cli;

import dev.cutter.run.Cancellation;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT) or SIGTERM during a command that runs jobs. The command's cancellation fires:
 * its jobs stop, with everything they started, and the run is recorded as cancelled; when every
 * job had already ended, nothing is stopped and the run is recorded as it ended. The JVM exits
 * once the command has ended, or after 20 s.
 */
final class Interruption implements AutoCloseable {
    private final Cancellation cancellation = new Cancellation();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final Thread hook;

    private Interruption() {
        hook = new Thread(() -> {
            cancellation.cancel("interrupted");
            try {
                ended.await(20, TimeUnit.SECONDS); // let the ledger record the cancellation
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "cutter-interrupt");
    }

    /** Takes over the JVM's interruption until {@link #close()}. */
    static Interruption install() {
        Interruption interruption = new Interruption();
        Runtime.getRuntime().addShutdownHook(interruption.hook);
        return interruption;
    }

    Cancellation cancellation() {
        return cancellation;
    }

    /** The command has ended: an interruption now exits at once. */
    @Override
    public void close() {
        ended.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // shutting down already: the hook is running, and now returns
        }
    }
}
