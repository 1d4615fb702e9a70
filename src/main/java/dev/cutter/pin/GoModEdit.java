package dev.cutter.pin;

import dev.cutter.pin.PinEdit.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@link Pin.GoRequire}: the version token of one {@code require}, rewritten in place. */
final class GoModEdit {
    private static final String NUM = "(?:0|[1-9][0-9]*)";
    private static final String PRE = "(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)";
    /** Canonical semver as go.mod accepts it: vX.Y.Z[-pre][+incompatible]. */
    private static final Pattern VERSION = Pattern.compile("v(" + NUM + ")\\." + NUM + "\\." + NUM + "(?:-" + PRE + "(?:\\." + PRE
            + ")*)?(\\+incompatible)?");
    private static final Pattern GOPKG = Pattern.compile("gopkg\\.in/.*\\.(v(?:0|[1-9][0-9]*))(?:-unstable)?");
    private static final Pattern SUFFIX = Pattern.compile(".*/v([2-9]|[1-9][0-9]+)");

    private GoModEdit() {}

    record Token(String text, int start, int end, boolean quoted) {}

    /** One directive line: its tokens (the verb left out inside a block) and where a trailing comment starts (-1 if none). */
    record Directive(String verb, List<Token> args, int comment, int line) {}

    static Result apply(String text, Pin.GoRequire pin, String value) {
        String what = pin.toString();
        List<Directive> directives = parse(text);
        checkVersion(pin.module(), value, what);
        Directive require = require(directives, pin.module(), what);
        Token version = require.args().get(1);
        for (Directive d : directives) {
            if (d.verb().equals("replace") && d.args().size() >= 3 && unquote(d.args().get(0)).equals(pin.module())) {
                String from = d.args().get(1).text().equals("=>") ? null : d.args().get(1).text();
                if (from == null || from.equals(version.text()) || from.equals(value)) {
                    throw new PinException(what + ": the module is replaced at line " + d.line() + " ("
                            + String.join(" ", d.args().stream().map(Token::text).toList()) + "), so its require does not decide"
                            + " what builds; pin the replacement instead (a regex pin) or drop the replace");
                }
            }
            if (d.verb().equals("exclude") && d.args().size() == 2 && unquote(d.args().get(0)).equals(pin.module())
                    && d.args().get(1).text().equals(value)) {
                throw new PinException(what + ": " + value + " is excluded at line " + d.line() + "; drop the exclude or pick another version");
            }
        }
        int[] span = span(require);
        String source = text.substring(span[0], span[1]);
        if (version.text().equals(value)) {
            return new Result(text, version.text(), false, source);
        }
        return new Result(splice(text, span, render(source, version, value)), version.text(), true, source);
    }

    static Result revert(String text, Pin.GoRequire pin, String value, String previous, String previousSource) {
        String what = pin.toString();
        Directive require = require(parse(text), pin.module(), what);
        Token version = require.args().get(1);
        int[] span = span(require);
        String source = text.substring(span[0], span[1]);
        if (!version.text().equals(value)) {
            if (version.text().equals(previous)) {
                return new Result(text, version.text(), false, source);
            }
            throw PinEdit.changedSince(what, "the require at line " + require.line(), version.text(), value);
        }
        return new Result(splice(text, span, previousSource), version.text(), true, source);
    }

    /** Refuses what is not a canonical Go module version whose major version fits the module path. */
    static void checkVersion(String module, String version, String what) {
        Matcher m = VERSION.matcher(version);
        if (!m.matches()) {
            String hint;
            if (VERSION.matcher("v" + version).matches()) {
                hint = "Go module versions start with v: v" + version;
            } else if (version.matches("v[0-9]+(\\.[0-9]+)?")) {
                hint = "give all three numbers, vMAJOR.MINOR.PATCH";
            } else if (version.contains("+")) {
                hint = "go.mod allows no build metadata except +incompatible";
            } else {
                hint = "give a semantic version such as v1.2.3, v1.2.3-rc.1 or a pseudo-version such as"
                        + " v0.0.0-20240916082048-8b4d2e3e7a86";
            }
            throw new PinException(what + ": '" + version + "' is not a valid Go module version; " + hint);
        }
        if (m.group(1).length() > 9) {
            throw new PinException(what + ": '" + version + "' has a major version of " + m.group(1).length()
                    + " digits; no Go module has one");
        }
        int major = Integer.parseInt(m.group(1));
        boolean incompatible = m.group(2) != null;
        Matcher gopkg = GOPKG.matcher(module);
        Matcher suffix = SUFFIX.matcher(module);
        String problem = null;
        if (gopkg.matches()) {
            String want = gopkg.group(1);
            if (incompatible || !(("v" + major).equals(want) || want.equals("v1") && major == 0)) {
                problem = "a gopkg.in path ending in ." + want + " takes " + want + ".x.y versions";
            }
        } else if (suffix.matches()) {
            if (incompatible || !suffix.group(1).equals(Integer.toString(major))) {
                problem = "a path ending in /v" + suffix.group(1) + " takes v" + suffix.group(1) + ".x.y versions";
            }
        } else if (incompatible ? major < 2 : major > 1) {
            problem = incompatible ? "+incompatible goes with major versions 2 and above"
                    : "without a /v" + major + " suffix the module takes only v0 and v1 versions (or v" + major
                            + ".x.y+incompatible if it has no go.mod there); for a repository tag that is not a Go module tag,"
                            + " use the pseudo-version `go get " + module + "@<tag>` resolves to";
        }
        if (problem != null) {
            throw new PinException(what + ": " + version + " does not fit the module path: " + problem);
        }
    }

    private static Directive require(List<Directive> directives, String module, String what) {
        List<Directive> hits = directives.stream().filter(d -> d.verb().equals("require") && d.args().size() == 2
                && unquote(d.args().get(0)).equals(module)).toList();
        if (hits.isEmpty()) {
            boolean self = directives.stream().anyMatch(d -> d.verb().equals("module") && !d.args().isEmpty()
                    && unquote(d.args().get(0)).equals(module));
            throw new PinException(what + ": " + (self ? "that is this go.mod's own module, which has no version to pin"
                    : "the module is not required in this go.mod; add it with `go get " + module + "@<version>` first"));
        }
        if (hits.size() > 1) {
            throw new PinException(what + ": the module is required " + hits.size() + " times (lines "
                    + String.join(", ", hits.stream().map(d -> String.valueOf(d.line())).toList()) + "); run `go mod tidy` first");
        }
        Token version = hits.get(0).args().get(1);
        if (version.quoted()) {
            throw new PinException(what + ": the version at line " + hits.get(0).line() + " is quoted; unquote it (go mod edit -fmt)");
        }
        return hits.get(0);
    }

    /** The version token, plus the padding before a trailing comment (so the comment's column can be kept). */
    private static int[] span(Directive d) {
        Token version = d.args().get(1);
        return new int[] {version.start(), d.comment() >= 0 ? d.comment() : version.end()};
    }

    private static String render(String source, Token old, String value) {
        String pad = source.substring(old.text().length());
        if (pad.length() >= 2 && pad.chars().allMatch(c -> c == ' ')) { // padded to a column: keep the column
            pad = " ".repeat(Math.max(1, pad.length() + old.text().length() - value.length()));
        }
        return value + pad;
    }

    private static String splice(String text, int[] span, String with) {
        return text.substring(0, span[0]) + with + text.substring(span[1]);
    }

    private static String unquote(Token token) {
        if (!token.quoted()) {
            return token.text();
        }
        String inner = token.text().substring(1, token.text().length() - 1);
        return token.text().charAt(0) == '`' ? inner : inner.replaceAll("\\\\(.)", "$1");
    }

    /** The directives of a go.mod, block entries carrying their block's verb. */
    static List<Directive> parse(String text) {
        List<Directive> out = new ArrayList<>();
        String block = null;
        int lineNo = 0;
        for (int start = 0; start <= text.length(); ) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl;
            lineNo++;
            List<Token> tokens = new ArrayList<>();
            int comment = tokenize(text, start, end, tokens, lineNo);
            if (!tokens.isEmpty()) {
                String first = tokens.get(0).text();
                if (block != null) {
                    if (first.equals(")")) {
                        block = null;
                    } else {
                        out.add(new Directive(block, List.copyOf(tokens), comment, lineNo));
                    }
                } else if (tokens.size() == 2 && tokens.get(1).text().equals("(")) {
                    block = first;
                } else if (!(tokens.size() == 3 && tokens.get(1).text().equals("(") && tokens.get(2).text().equals(")"))) {
                    out.add(new Directive(first, List.copyOf(tokens.subList(1, tokens.size())), comment, lineNo));
                }
            }
            if (nl < 0) {
                break;
            }
            start = nl + 1;
        }
        if (block != null) {
            throw new PinException("not a valid go.mod: the " + block + " ( block is not closed");
        }
        return out;
    }

    private static int tokenize(String text, int start, int end, List<Token> tokens, int lineNo) {
        int i = start;
        while (i < end) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r') {
                i++;
            } else if (c == '/' && i + 1 < end && text.charAt(i + 1) == '/') {
                return i;
            } else if (c == '(' || c == ')') {
                tokens.add(new Token(String.valueOf(c), i, i + 1, false));
                i++;
            } else if (c == '"' || c == '`') {
                int j = i + 1;
                while (j < end && text.charAt(j) != c) {
                    j += c == '"' && text.charAt(j) == '\\' ? 2 : 1;
                }
                if (j >= end) {
                    throw new PinException("not a valid go.mod: unterminated string at line " + lineNo);
                }
                tokens.add(new Token(text.substring(i, j + 1), i, j + 1, true));
                i = j + 1;
            } else {
                int j = i;
                while (j < end && " \t\r()\"`".indexOf(text.charAt(j)) < 0) {
                    j++;
                }
                tokens.add(new Token(text.substring(i, j), i, j, false));
                i = j;
            }
        }
        return -1;
    }
}
