package dev.cutter.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy on a free loopback port in front of a real server, which a test can tell to cut a
 * connection at a chosen moment: when the client sends bytes containing a marker (say, a
 * PostgreSQL {@code COMMIT}), that chunk is not forwarded and both sides are closed — the client
 * cannot know whether the server got it.
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicReference<byte[]> cutMarker = new AtomicReference<>();
    private volatile int cuts;

    private TcpProxy(ServerSocket listener, InetSocketAddress target) {
        this.listener = listener;
        this.target = target;
    }

    /** A proxy to {@code host}:{@code port}, accepting from now on. */
    public static TcpProxy start(String host, int port) throws IOException {
        ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        TcpProxy proxy = new TcpProxy(listener, new InetSocketAddress(host, port));
        Thread.ofPlatform().daemon().name("tcp-proxy-accept").start(proxy::accept);
        return proxy;
    }

    /** {@code 127.0.0.1:PORT} of the proxy. */
    public String address() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    /** The next client chunk containing {@code marker} cuts its connection (once). */
    public void cutWhenClientSends(String marker) {
        cutMarker.set(marker.getBytes(StandardCharsets.US_ASCII));
    }

    /** How many connections were cut so far. */
    public int cuts() {
        return cuts;
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(target.getAddress(), target.getPort());
                sockets.add(client);
                sockets.add(server);
                Thread.ofPlatform().daemon().start(() -> pump(client, server, true));
                Thread.ofPlatform().daemon().start(() -> pump(server, client, false));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromClient) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                byte[] marker = cutMarker.get();
                if (fromClient && marker != null && contains(buffer, n, marker) && cutMarker.compareAndSet(marker, null)) {
                    cuts++;
                    from.close();
                    to.close();
                    return;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side went away: the other goes too
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    private static boolean contains(byte[] buffer, int length, byte[] marker) {
        outer:
        for (int i = 0; i + marker.length <= length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (buffer[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        sockets.forEach(TcpProxy::closeQuietly);
    }
}
