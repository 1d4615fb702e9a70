package dev.cutter.pin;

import dev.cutter.pin.PinEdit.Result;
import java.util.function.Function;

/**
 * A scalar found in a file by {@link JsonEdit} or {@link TomlEdit}: where its characters are
 * ({@code start..end}, quotes included), what it reads as, whether it is a string, and its line.
 * The apply and revert both kinds share are here.
 */
record ValueSpan(int start, int end, String value, boolean string, int line) {

    String source(String text) {
        return text.substring(start, end);
    }

    /**
     * Writes {@code value} over the span ({@code render} gives its characters); unchanged when it
     * already holds that value as a string (or, not a string, as the same text).
     */
    static Result apply(String text, ValueSpan old, String value, Function<ValueSpan, String> render,
            Function<String, ValueSpan> locate, String what) {
        String source = old.source(text);
        if (old.value().equals(value)) {
            return new Result(text, old.value(), false, source);
        }
        String edited = text.substring(0, old.start()) + render.apply(old) + text.substring(old.end());
        ValueSpan now = locate.apply(edited);
        if (!now.value().equals(value)) {
            throw new IllegalStateException(what + ": writing '" + value + "' reads back as '" + now.value() + "'");
        }
        return new Result(edited, old.value(), true, source);
    }

    /** Puts {@code previousSource} back over the span, which must still hold {@code value}. */
    static Result revert(String text, ValueSpan now, String value, String previous, String previousSource, String what) {
        if (!now.value().equals(value)) {
            if (now.value().equals(previous)) {
                return new Result(text, now.value(), false, now.source(text)); // reverted already
            }
            throw PinEdit.changedSince(what, "line " + now.line(), now.value(), value);
        }
        return new Result(text.substring(0, now.start()) + previousSource + text.substring(now.end()), now.value(), true,
                now.source(text));
    }
}
