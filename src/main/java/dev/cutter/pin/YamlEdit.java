package dev.cutter.pin;

import dev.cutter.pin.PinEdit.Result;
import java.util.function.Function;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.nodes.Tag;

/** {@link Pin.YamlKey}, and the scalar rewriting {@link KustomizeEdit} shares. */
final class YamlEdit {
    private YamlEdit() {}

    static Result apply(String text, Pin.YamlKey pin, String value) {
        Function<String, YamlText.Scalar> locate = t -> locate(t, pin);
        return set(text, locate.apply(text), value, true, pin.toString(), locate);
    }

    static Result revert(String text, Pin.YamlKey pin, String value, String previous, String previousSource) {
        Function<String, YamlText.Scalar> locate = t -> locate(t, pin);
        return restore(text, locate.apply(text), value, previous, previousSource, pin.toString(), "'" + pin.dottedPath() + "'", locate);
    }

    private static YamlText.Scalar locate(String text, Pin.YamlKey pin) {
        String what = pin.toString();
        return YamlText.scalar(text, YamlText.walk(YamlText.compose(text), YamlText.parsePath(pin.dottedPath()), what), what);
    }

    /** Whether the scalar already holds {@code value} as {@link YamlText#render} would write it (string, or kept type). */
    static boolean holds(YamlText.Scalar old, String value, boolean keepType) {
        if (!old.value().equals(value) || old.emptyAfterColon()) {
            return false;
        }
        return old.style() != ScalarStyle.PLAIN || old.tag().equals(Tag.STR) || !YamlText.readsAsString(value, old, keepType);
    }

    /** Writes {@code value} over {@code old}, then checks by parsing the result that it reads back as intended. */
    static Result set(String text, YamlText.Scalar old, String value, boolean keepType, String what,
            Function<String, YamlText.Scalar> locate) {
        String source = old.source(text);
        if (holds(old, value, keepType)) {
            return new Result(text, old.value(), false, source);
        }
        String rendered = YamlText.render(value, old, keepType);
        String edited = text.substring(0, old.start()) + (old.emptyAfterColon() ? " " : "") + rendered + text.substring(old.end());
        YamlText.Scalar now = locate.apply(edited);
        boolean asString = YamlText.readsAsString(value, old, keepType);
        if (!now.value().equals(value) || asString && now.style() == ScalarStyle.PLAIN && !now.tag().equals(Tag.STR)) {
            throw new IllegalStateException(what + ": writing '" + value + "' as " + rendered + " reads back as " + now.tag()
                    + " '" + now.value() + "'");
        }
        return new Result(edited, old.value(), true, source);
    }

    /** Puts {@code previousSource} back over the scalar {@code now}, which must hold {@code value}. */
    static Result restore(String text, YamlText.Scalar now, String value, String previous, String previousSource, String what,
            String where, Function<String, YamlText.Scalar> locate) {
        if (!now.value().equals(value) || now.emptyAfterColon()) {
            if (now.value().equals(previous)) {
                return new Result(text, now.value(), false, now.source(text)); // reverted already
            }
            throw PinEdit.changedSince(what, where + " (line " + now.line() + ")", now.value(), value);
        }
        int start = now.start();
        if (previousSource.isEmpty() && start >= 2 && text.charAt(start - 1) == ' ' && text.charAt(start - 2) == ':') {
            start--; // the edit filled an empty value after "key:" with " value"
        }
        String reverted = text.substring(0, start) + previousSource + text.substring(now.end());
        YamlText.Scalar back = locate.apply(reverted);
        if (!back.value().equals(previous)) {
            throw new IllegalStateException(what + ": reverting gave '" + back.value() + "', not '" + previous + "'");
        }
        return new Result(reverted, now.value(), true, now.source(text));
    }
}
