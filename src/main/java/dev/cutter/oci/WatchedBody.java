package dev.cutter.oci;

import dev.cutter.content.CountingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A response body read under a watch, so a registry that trickles bytes (a slow-loris answer) or
 * stops sending cannot hold a release forever: the request's own timeout only covers the headers.
 * A manifest must arrive whole within one window; a blob must bring at least {@link #MIN_BYTES}
 * in every window. When it does not, the body is closed under the reader, whose read then fails,
 * and {@link #expired()} says why.
 */
final class WatchedBody extends CountingInputStream {
    /** What a blob must bring per window: 64 KiB, a thousandth of a slow link's minute. */
    static final long MIN_BYTES = 64 << 10;
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "registry-body-watch");
        t.setDaemon(true);
        return t;
    });

    private final ScheduledFuture<?> watch;
    private final Duration window;
    private final boolean whole;
    private volatile long atLastLook;
    private volatile boolean expired;
    private volatile boolean done;

    private WatchedBody(InputStream in, Duration window, boolean whole) {
        super(in);
        this.window = window;
        this.whole = whole;
        long millis = Math.max(1, window.toMillis());
        this.watch = whole ? TIMER.schedule(this::expire, millis, TimeUnit.MILLISECONDS)
                : TIMER.scheduleAtFixedRate(this::look, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** A body that must arrive whole within {@code window} (a manifest, a token). */
    static WatchedBody whole(InputStream in, Duration window) {
        return new WatchedBody(in, window, true);
    }

    /** A body that must bring {@link #MIN_BYTES} (or its end) within every {@code window} (a blob). */
    static WatchedBody steady(InputStream in, Duration window) {
        return new WatchedBody(in, window, false);
    }

    /** Whether the watch closed the body: the registry was too slow. */
    boolean expired() {
        return expired;
    }

    /** Whether the body had to arrive whole within the window (else: steadily). */
    boolean isWhole() {
        return whole;
    }

    Duration window() {
        return window;
    }

    private void look() {
        if (count() - atLastLook < MIN_BYTES) {
            expire();
        }
        atLastLook = count();
    }

    private void expire() {
        if (done) {
            return;
        }
        expired = true;
        watch.cancel(false);
        try {
            in.close(); // unblocks the reader: its read fails
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    protected void ended() {
        finished();
    }

    private void finished() {
        done = true;
        watch.cancel(false);
    }

    @Override
    public void close() throws IOException {
        finished();
        super.close();
    }
}
