package dev.cutter.server;

import io.javalin.http.sse.SseClient;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One open event stream. Events are queued and written by a virtual thread of its own, so a
 * slow or stalled browser never holds up the poller that serves every other watcher; one that
 * falls {@link #BACKLOG} events behind is closed (it reconnects with {@code Last-Event-ID}).
 * A comment line every {@link #KEEP_ALIVE_SECONDS} keeps proxies and Jetty's idle timeout from
 * closing a quiet stream.
 *
 * <p>Ending a stream resumes Javalin's handling of its request on the sending thread. Once Jetty
 * has let go of that request (the browser left, or the server stopped) the request is recycled,
 * and resuming it then throws on every step of Javalin's error handling, which retries forever:
 * a core spinning for the life of the process. So the stream listens for the end of its request
 * and, once it has ended, its thread only stops.
 */
final class Watcher {
    static final int BACKLOG = 20_000;
    static final int KEEP_ALIVE_SECONDS = 15;

    /** One server-sent event; {@code id} may be null. */
    record Event(String name, String data, String id) {}

    private static final Event END = new Event("", "", null);

    private final SseClient client;
    private final BlockingQueue<Event> queue = new LinkedBlockingQueue<>(BACKLOG);
    private final long afterSeq;
    private final Consumer<Watcher> onEnd;
    private final Thread sender = Thread.ofVirtual().name("cutter-sse").unstarted(this::send);
    private volatile boolean closed;
    /** Jetty ended the request (completed, failed, timed out); guarded by {@code this} with the resumption. */
    private boolean gone;

    /**
     * @param afterSeq log lines up to this seq were seen already (a reconnect's {@code Last-Event-ID})
     * @param onEnd    given this watcher on its sending thread when that ends
     */
    Watcher(SseClient client, long afterSeq, Consumer<Watcher> onEnd) {
        this.client = client;
        this.afterSeq = afterSeq;
        this.onEnd = onEnd;
        client.onClose(() -> closed = true);
        // Javalin's event-stream handler runs inside ctx.async(): the request is asynchronous by now
        client.ctx().req().getAsyncContext().addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                requestEnded();
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                requestEnded();
            }

            @Override
            public void onError(AsyncEvent event) {
                requestEnded();
            }

            @Override
            public void onStartAsync(AsyncEvent event) {}
        });
    }

    private synchronized void requestEnded() {
        gone = true;
        closed = true;
        queue.clear();
        queue.offer(END); // wakes the sender, which then only stops
    }

    /** Starts the thread that sends what is offered. */
    Watcher start() {
        sender.start();
        return this;
    }

    long afterSeq() {
        return afterSeq;
    }

    boolean closed() {
        return closed || client.terminated();
    }

    void offer(Event event) {
        if (!closed && !queue.offer(event)) {
            closed = true; // too far behind: let it reconnect rather than buffer without bound
            queue.clear();
            queue.offer(END);
        }
    }

    /** Sends what is queued, then closes the stream. */
    void finish() {
        if (!queue.offer(END)) {
            closed = true;
        }
    }

    private synchronized boolean isGone() {
        return gone;
    }

    private void send() {
        try {
            while (!client.terminated()) {
                Event e = queue.poll(KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
                if (e == null) {
                    client.sendComment("keep-alive");
                } else if (e == END) {
                    break;
                } else if (e.id() == null) {
                    client.sendEvent(e.name(), e.data());
                } else {
                    client.sendEvent(e.name(), e.data(), e.id());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!isGone()) {
                throw e;
            } // a write to a request Jetty has recycled already
        } finally {
            closed = true;
            try {
                synchronized (this) { // Jetty tells the request's end under this lock, so it is not recycled midway
                    if (!gone) {
                        client.close();
                    }
                }
            } finally {
                onEnd.accept(this);
            }
        }
    }
}
