package dev.cutter.oci;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** The result of work run on another thread, its failure thrown here as it was thrown there. */
public final class Awaited {
    private Awaited() {}

    /**
     * Waits for {@code work}: its result, or what it threw (an unchecked exception as it is, an
     * {@link IOException} as it is, anything else wrapped in one); an interrupt ends the wait.
     */
    public static <T> T get(Future<T> work) throws IOException {
        try {
            return work.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
