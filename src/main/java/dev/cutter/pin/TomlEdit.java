package dev.cutter.pin;

import dev.cutter.pin.PinEdit.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link Pin.TomlKey}: a line-level editor for {@code key = "value"} in a {@code [table]}, which
 * keeps every other character of the file (comments, alignment, quoting of other values). It reads
 * lines, not the whole grammar: table headers ({@code [a.b]}; an array of tables {@code [[x]]} is
 * never matched), keys bare, quoted or dotted ({@code a.b = …}, joined to the table), and the
 * value: a one-line basic ({@code "…"}) or literal ({@code '…'}) string, or a bare integer, float,
 * boolean or date, which stays bare when the new value is of the same kind. Lines inside
 * multi-line strings are skipped. Inline tables, arrays and multi-line string values are refused.
 * A full TOML library would parse more but write the file back its own way; a pin changes one
 * value and must leave the rest byte for byte.
 */
final class TomlEdit {
    private static final Pattern TABLE = Pattern.compile("^\\s*\\[\\s*([^\\[\\]]+?)\\s*\\]\\s*(#.*)?$");
    private static final Pattern ARRAY_TABLE = Pattern.compile("^\\s*\\[\\[.*$");
    private static final Pattern KEY = Pattern.compile("^\\s*((?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')(?:\\s*\\.\\s*(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*'))*)\\s*=\\s*");
    private static final Pattern BARE_INT = Pattern.compile("[+-]?(0|[1-9](_?\\d)*)");
    private static final Pattern BARE_FLOAT = Pattern.compile("[+-]?(0|[1-9](_?\\d)*)(\\.\\d(_?\\d)*)?([eE][+-]?\\d+)?");
    private static final Pattern BARE_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}([Tt ]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})?)?");
    private static final Pattern BARE_BOOL = Pattern.compile("true|false");

    private TomlEdit() {}

    static Result apply(String text, Pin.TomlKey pin, String value) {
        return ValueSpan.apply(text, locate(text, pin), value, old -> render(old, text, value), t -> locate(t, pin), pin.toString());
    }

    static Result revert(String text, Pin.TomlKey pin, String value, String previous, String previousSource) {
        return ValueSpan.revert(text, locate(text, pin), value, previous, previousSource, pin.toString());
    }

    private static String render(ValueSpan old, String text, String value) {
        String source = old.source(text);
        if (!old.string()) {
            for (Pattern kind : List.of(BARE_BOOL, BARE_DATE, BARE_INT, BARE_FLOAT)) {
                if (kind.matcher(source).matches() && kind.matcher(value).matches()) {
                    return value;
                }
            }
            return basic(value);
        }
        boolean literal = source.startsWith("'") && value.chars().noneMatch(c -> c == '\'' || c < 0x20 || c == 0x7f);
        return literal ? "'" + value + "'" : basic(value);
    }

    private static String basic(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> out.append(c < 0x20 || c == 0x7f ? String.format("\\u%04X", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }

    static ValueSpan locate(String text, Pin.TomlKey pin) {
        String what = pin.toString();
        String wanted = String.join(".", keys(pin));
        String table = "";
        boolean inArrayTable = false;
        String openMultiline = null; // """ or ''' while inside a multi-line string
        List<ValueSpan> found = new ArrayList<>();
        int lineStart = 0;
        int lineNr = 0;
        while (lineStart <= text.length()) {
            int nl = text.indexOf('\n', lineStart);
            int lineEnd = nl < 0 ? text.length() : nl;
            String line = text.substring(lineStart, lineEnd).replaceFirst("\r$", "");
            lineNr++;
            if (openMultiline != null) {
                if (count(line, openMultiline) % 2 == 1) {
                    openMultiline = null;
                }
            } else if (ARRAY_TABLE.matcher(line).matches()) {
                inArrayTable = true;
            } else {
                Matcher t = TABLE.matcher(line);
                Matcher k = KEY.matcher(line);
                if (t.matches()) {
                    table = normalize(t.group(1));
                    inArrayTable = false;
                } else if (k.find()) {
                    String key = (table.isEmpty() ? "" : table + ".") + normalize(k.group(1));
                    int valueAt = k.end();
                    String rest = line.substring(valueAt);
                    String multiline = rest.startsWith("\"\"\"") ? "\"\"\"" : rest.startsWith("'''") ? "'''" : null;
                    if (multiline != null && count(rest, multiline) == 1) {
                        openMultiline = multiline;
                    }
                    if (!inArrayTable && key.equals(wanted)) {
                        found.add(value(line, valueAt, lineStart, lineNr, what));
                    }
                }
            }
            if (nl < 0) {
                break;
            }
            lineStart = nl + 1;
        }
        if (found.isEmpty()) {
            throw new PinException(what + ": no line '" + last(pin) + " = …' in "
                    + (keys(pin).size() > 1 ? "table [" + String.join(".", keys(pin).subList(0, keys(pin).size() - 1)) + "]" : "the top-level table"));
        }
        if (found.size() > 1) {
            throw new PinException(what + ": defined " + found.size() + " times (lines " + found.stream().map(v -> Integer.toString(v.line())).toList()
                    + "); a TOML key is defined once");
        }
        return found.get(0);
    }

    private static ValueSpan value(String line, int at, int lineStart, int lineNr, String what) {
        String rest = line.substring(at);
        if (rest.startsWith("\"\"\"") || rest.startsWith("'''")) {
            throw new PinException(what + ": line " + lineNr + " holds a multi-line string; a pin sets a one-line value");
        }
        if (rest.startsWith("\"")) {
            StringBuilder value = new StringBuilder();
            int i = 1;
            while (i < rest.length() && rest.charAt(i) != '"') {
                char c = rest.charAt(i);
                if (c == '\\' && i + 1 < rest.length()) {
                    char e = rest.charAt(++i);
                    switch (e) {
                        case 'n' -> value.append('\n');
                        case 't' -> value.append('\t');
                        case 'r' -> value.append('\r');
                        case 'b' -> value.append('\b');
                        case 'f' -> value.append('\f');
                        case 'u' -> {
                            value.append((char) Integer.parseInt(rest.substring(i + 1, Math.min(rest.length(), i + 5)), 16));
                            i += 4;
                        }
                        default -> value.append(e);
                    }
                } else {
                    value.append(c);
                }
                i++;
            }
            if (i >= rest.length()) {
                throw new PinException(what + ": line " + lineNr + ": the string is not closed on its line");
            }
            return new ValueSpan(lineStart + at, lineStart + at + i + 1, value.toString(), true, lineNr);
        }
        if (rest.startsWith("'")) {
            int close = rest.indexOf('\'', 1);
            if (close < 0) {
                throw new PinException(what + ": line " + lineNr + ": the string is not closed on its line");
            }
            return new ValueSpan(lineStart + at, lineStart + at + close + 1, rest.substring(1, close), true, lineNr);
        }
        Matcher bare = Pattern.compile("^[^\\s#,\\[\\]{}]+").matcher(rest);
        if (!bare.find() || rest.startsWith("[") || rest.startsWith("{")) {
            throw new PinException(what + ": line " + lineNr + " holds " + (rest.startsWith("[") ? "an array" : rest.startsWith("{")
                    ? "an inline table" : "no value") + "; a pin sets a string, number, boolean or date");
        }
        return new ValueSpan(lineStart + at, lineStart + at + bare.end(), bare.group(), false, lineNr);
    }

    /** The pin's path as TOML keys; an index has no meaning here. */
    private static List<String> keys(Pin.TomlKey pin) {
        List<String> keys = new ArrayList<>();
        for (YamlText.Segment s : YamlText.parsePath(pin.dottedPath())) {
            if (!(s instanceof YamlText.Segment.Key key)) {
                throw new PinException(pin + ": [N] picks an array item, which the TOML editor does not reach; name a key of a table");
            }
            keys.add(key.key());
        }
        return keys;
    }

    private static String last(Pin.TomlKey pin) {
        List<String> keys = keys(pin);
        return keys.get(keys.size() - 1);
    }

    /** A dotted key as written ({@code a . "b"}) to its keys joined by dots ({@code a.b}). */
    private static String normalize(String dotted) {
        List<String> parts = new ArrayList<>();
        Matcher m = Pattern.compile("\\s*(\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+)\\s*(\\.|$)").matcher(dotted);
        while (m.find()) {
            String part = m.group(1);
            parts.add(part.startsWith("\"") || part.startsWith("'") ? part.substring(1, part.length() - 1) : part);
        }
        return String.join(".", parts);
    }

    private static int count(String line, String token) {
        int n = 0;
        for (int i = line.indexOf(token); i >= 0; i = line.indexOf(token, i + token.length())) {
            n++;
        }
        return n;
    }
}
