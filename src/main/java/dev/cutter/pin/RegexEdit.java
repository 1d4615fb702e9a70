package dev.cutter.pin;

import dev.cutter.pin.PinEdit.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@link Pin.Regex}: the one match, replaced. */
final class RegexEdit {
    private static final String VALUE = "{value}";

    private RegexEdit() {}

    static Result apply(String text, Pin.Regex pin, String value) {
        String what = pin.toString();
        Pattern pattern = Pattern.compile(pin.pattern());
        Matcher m = only(text, pattern, what);
        String matched = m.group();
        String replacement = expand(m, pin.replacement(), value, what);
        if (replacement.equals(matched)) {
            return new Result(text, matched, false, matched);
        }
        String edited = text.substring(0, m.start()) + replacement + text.substring(m.end());
        Matcher again = pattern.matcher(edited);
        int count = 0;
        boolean same = false;
        while (again.find()) {
            count++;
            same = count == 1 && again.start() == m.start() && again.end() == m.start() + replacement.length()
                    && expand(again, pin.replacement(), value, what).equals(replacement);
        }
        if (count != 1 || !same) {
            throw new PinException(what + ": after the edit the pattern " + (count == 1 ? "does not match the new text '" + replacement
                    + "' as it was written" : count == 0 ? "no longer matches" : "matches " + count + " times")
                    + ", so the pin could not be checked, re-applied or reverted; make the pattern match its own"
                    + " replacement, e.g. pattern (?m)^(ARG KATA=)\\S+$ with replace $1{value}");
        }
        return new Result(edited, matched, true, matched);
    }

    static Result revert(String text, Pin.Regex pin, String value, String previous, String previousSource) {
        String what = pin.toString();
        Matcher m = only(text, Pattern.compile(pin.pattern()), what);
        String now = m.group();
        if (now.equals(previousSource)) {
            return new Result(text, now, false, now); // reverted already, or the edit changed nothing
        }
        if (!expand(m, pin.replacement(), value, what).equals(now)) {
            throw PinEdit.changedSince(what, "the match at line " + line(text, m.start()), now, value);
        }
        return new Result(text.substring(0, m.start()) + previousSource + text.substring(m.end()), now, true, now);
    }

    /** The single match, or a clear error for none or several. */
    private static Matcher only(String text, Pattern pattern, String what) {
        Matcher m = pattern.matcher(text);
        List<Integer> lines = new ArrayList<>();
        int first = -1;
        while (m.find()) {
            if (first < 0) {
                first = m.start();
            }
            lines.add(line(text, m.start()));
        }
        if (lines.size() != 1) {
            throw new PinException(what + ": the pattern must match exactly once, but it matches "
                    + (lines.isEmpty() ? "nothing; check it against the file (use (?m) for ^ and $ at line ends)"
                            : lines.size() + " times (lines " + String.join(", ", lines.stream().map(String::valueOf).toList())
                                    + "); make it more specific"));
        }
        m = pattern.matcher(text);
        m.find(first);
        return m;
    }

    /**
     * The replacement for the current match, with {@link Matcher#appendReplacement}'s syntax ({@code $1},
     * {@code ${name}}, {@code \} escapes the next character) plus {@code {value}}, the value inserted as is.
     */
    static String expand(Matcher m, String replacement, String value, String what) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        int n = replacement.length();
        while (i < n) {
            if (replacement.startsWith(VALUE, i)) {
                out.append(value);
                i += VALUE.length();
                continue;
            }
            char c = replacement.charAt(i++);
            if (c == '\\') {
                if (i >= n) {
                    throw new PinException(what + ": the replacement ends in a lone \\; write \\\\ for a backslash");
                }
                out.append(replacement.charAt(i++));
            } else if (c == '$') {
                String group;
                if (i < n && replacement.charAt(i) == '{') {
                    int close = replacement.indexOf('}', i);
                    if (close < 0) {
                        throw new PinException(what + ": the replacement has an unclosed ${");
                    }
                    String name = replacement.substring(i + 1, close);
                    try {
                        group = m.group(name);
                    } catch (IllegalArgumentException e) {
                        throw new PinException(what + ": the replacement refers to ${" + name + "}, which the pattern does not name");
                    }
                    i = close + 1;
                } else {
                    if (i >= n || !Character.isDigit(replacement.charAt(i))) {
                        throw new PinException(what + ": in the replacement, $ must be followed by a group number or {name};"
                                + " write \\$ for a dollar sign");
                    }
                    int ref = replacement.charAt(i++) - '0';
                    while (i < n && Character.isDigit(replacement.charAt(i)) && ref * 10 + replacement.charAt(i) - '0' <= m.groupCount()) {
                        ref = ref * 10 + replacement.charAt(i++) - '0';
                    }
                    if (ref > m.groupCount()) {
                        throw new PinException(what + ": the replacement refers to $" + ref + " but the pattern has "
                                + m.groupCount() + " groups");
                    }
                    group = m.group(ref);
                }
                if (group != null) {
                    out.append(group);
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int line(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
