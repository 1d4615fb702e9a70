package dev.cutter.build;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Writes a TOML document (TOML 1.0) key by key: every value encoded as TOML says (strings as basic
 * strings with their quotes, backslashes and control characters escaped), so no value can end its
 * string and add keys or tables of its own. Enough for the configuration files builders read, such
 * as {@code containers-registries.conf}.
 */
final class Toml {
    private static final Pattern BARE_KEY = Pattern.compile("[A-Za-z0-9_-]+");
    private final StringBuilder text = new StringBuilder();

    Toml put(String key, String value) {
        text.append(key(key)).append(" = ").append(string(value)).append('\n');
        return this;
    }

    Toml put(String key, boolean value) {
        text.append(key(key)).append(" = ").append(value).append('\n');
        return this;
    }

    Toml put(String key, List<String> values) {
        text.append(key(key)).append(" = [");
        for (int i = 0; i < values.size(); i++) {
            text.append(i == 0 ? "" : ", ").append(string(values.get(i)));
        }
        text.append("]\n");
        return this;
    }

    /** Starts the next table of the array of tables {@code name}; the keys put after it are its own. */
    Toml arrayTable(String name) {
        text.append("\n[[").append(key(name)).append("]]\n");
        return this;
    }

    @Override
    public String toString() {
        return text.toString();
    }

    private static String key(String key) {
        return BARE_KEY.matcher(key).matches() ? key : string(key);
    }

    /** {@code value} as a TOML basic string. */
    static String string(String value) {
        StringBuilder out = new StringBuilder("\"");
        value.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\u%04X", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.append('"').toString();
    }
}
