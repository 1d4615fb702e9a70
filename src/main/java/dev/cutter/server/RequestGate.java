package dev.cutter.server;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The first handler every request meets, before Javalin's servlet and before any thread blocks
 * on a body: a body announced larger than the path's limit is answered 413 at once; a body must
 * arrive within {@link Limits#bodyWithin()}; and unauthenticated requests with a body (webhooks,
 * logins: their caller is only known once the body is read) are counted per client address and
 * overall, the excess answered 429 at once. Each refusal closes the connection, so an unread body
 * costs nothing. A small handler of our own rather than Jetty's DoSFilter (ee10-servlets, a
 * request-rate limiter): what needs bounding here is concurrent readers, not request rates.
 */
final class RequestGate extends Handler.Wrapper {
    private final Limits limits;
    private final Predicate<Request> authenticated;
    private final Map<String, Integer> pending = new HashMap<>();
    private int pendingOverall;

    /** @param authenticated whether a request carries a live token or session (checked without reading its body) */
    RequestGate(Limits limits, Predicate<Request> authenticated) {
        this.limits = limits;
        this.authenticated = authenticated;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        long max = Request.getPathInContext(request).startsWith("/hooks/") ? limits.maxHookBody() : limits.maxApiBody();
        long length = request.getLength();
        if (length > max) {
            return refuse(response, callback, 413, "the body is " + length + " bytes; this server accepts at most " + max
                    + " bytes here");
        }
        boolean body = length > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
        Request timed = new BodyDeadline(request, System.nanoTime() + limits.bodyWithin().toNanos());
        if (!body || authenticated.test(request)) {
            return super.handle(timed, response, callback);
        }
        String address = address(request.getConnectionMetaData().getRemoteSocketAddress());
        if (!acquire(address)) {
            return refuse(response, callback, 429, "too many unauthenticated requests are being read from " + address
                    + " or overall; try again shortly");
        }
        Callback releasing = new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                release(address);
                super.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                release(address);
                super.failed(x);
            }
        };
        boolean handled;
        try {
            handled = super.handle(timed, response, releasing);
        } catch (Throwable e) {
            release(address);
            throw e;
        }
        if (!handled) {
            release(address);
        }
        return handled;
    }

    /** One lock for both counts: a refused request must never be counted, even for a moment. */
    private synchronized boolean acquire(String address) {
        int from = pending.getOrDefault(address, 0);
        if (from >= limits.pendingPerAddress() || pendingOverall >= limits.pendingOverall()) {
            return false;
        }
        pending.put(address, from + 1);
        pendingOverall++;
        return true;
    }

    private synchronized void release(String address) {
        pending.computeIfPresent(address, (k, n) -> n <= 1 ? null : n - 1);
        pendingOverall--;
    }

    /** Unauthenticated readers counted now (for tests and the docs' claims). */
    synchronized int pending() {
        return pendingOverall;
    }

    /** The client's address; an IPv6 client counts as its /64, since one host commonly holds a whole /64. */
    static String address(SocketAddress socket) {
        if (!(socket instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return String.valueOf(socket);
        }
        InetAddress a = inet.getAddress();
        if (a instanceof Inet6Address) {
            byte[] prefix = Arrays.copyOf(a.getAddress(), 16);
            Arrays.fill(prefix, 8, 16, (byte) 0);
            try {
                return InetAddress.getByAddress(prefix).getHostAddress() + "/64";
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException("16 bytes are an IPv6 address", e);
            }
        }
        return a.getHostAddress();
    }

    private static boolean refuse(Response response, Callback callback, int status, String message) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        if (status == 429) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "5");
        }
        String json = "{\"error\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        response.write(true, ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }

    /** A request whose body reads fail once its time is up, however steadily the bytes trickle in. */
    private static final class BodyDeadline extends Request.Wrapper {
        private final long deadline;

        BodyDeadline(Request request, long deadline) {
            super(request);
            this.deadline = deadline;
        }

        @Override
        public Content.Chunk read() {
            if (System.nanoTime() - deadline > 0) {
                return Content.Chunk.from(new TimeoutException("the request body did not arrive in time"), true);
            }
            return super.read();
        }
    }
}
