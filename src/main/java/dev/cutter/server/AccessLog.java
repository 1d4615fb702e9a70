package dev.cutter.server;

import io.javalin.http.Context;
import java.time.Clock;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The access log: one line per answered request, in the order of a common log line, with who
 * called instead of a user name:
 * {@code 2026-12-07T12:00:00.123Z 127.0.0.1 "GET /runs/r1" 200 12 ms token t1a2b3c4d (ops)}.
 * The query string is left out (a search term, a page key: nothing an operator needs to see who
 * called what), and the line is masked as every answer is. Server-sent event streams are logged
 * when they close, with how long they stayed open.
 */
final class AccessLog {
    /** Standard error, as the rest of the server's own messages. */
    static final Consumer<String> STDERR = line -> System.err.println(line);

    private final Consumer<String> out;
    private final UnaryOperator<String> mask;
    private final Clock clock;

    AccessLog(Consumer<String> out, UnaryOperator<String> mask, Clock clock) {
        this.out = out;
        this.mask = mask;
        this.clock = clock;
    }

    void answered(Context ctx, Server.Caller caller, Float millis) {
        String path = ctx.path();
        out.accept(mask.apply(clock.instant() + " " + ctx.ip() + " \"" + ctx.method().name() + " " + clean(path) + "\" "
                + ctx.statusCode() + " " + String.format(Locale.ROOT, "%.0f", millis == null ? 0f : millis) + " ms " + caller.actor()));
    }

    /** A path as sent may hold anything; the log keeps one line per request. */
    private static String clean(String path) {
        StringBuilder b = new StringBuilder(Math.min(path.length(), 300));
        for (int i = 0; i < path.length() && i < 300; i++) {
            char c = path.charAt(i);
            b.append(c < 0x20 || c == 0x7f || c == '"' ? '?' : c);
        }
        return path.length() > 300 ? b.append('…').toString() : b.toString();
    }
}
