package dev.cutter.server;

import io.javalin.http.sse.SseClient;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One open event stream. Events are queued and written by a virtual thread of its own, so a
 * slow or stalled browser never holds up the poller that serves every other watcher; one that
 * falls {@link #BACKLOG} events behind is closed (it reconnects with {@code Last-Event-ID}).
 * A comment line every {@link #KEEP_ALIVE_SECONDS} keeps proxies and Jetty's idle timeout from
 * closing a quiet stream.
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
    private volatile boolean closed;

    /** @param afterSeq log lines up to this seq were seen already (a reconnect's {@code Last-Event-ID}) */
    Watcher(SseClient client, long afterSeq) {
        this.client = client;
        this.afterSeq = afterSeq;
        client.onClose(() -> closed = true);
        Thread.ofVirtual().name("cutter-sse").start(this::send);
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
        } finally {
            closed = true;
            client.close();
        }
    }
}
