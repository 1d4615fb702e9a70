package dev.cutter.spec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Reads shell text as {@code /bin/sh} would, far enough to tell where its end stands: outside
 * quotes, inside single or double quotes, a command substitution, a here-document, an arithmetic
 * expansion or a comment. {@link Template#renderCommand} asks where each placeholder stands, to
 * write the placeholder's value there so that the shell takes it as data.
 *
 * <p>It is not a full parser, and need not be: its answer only chooses how a value is written,
 * and every way a value is written (an inert word, or a parameter expansion) is data in every
 * context. A construct it misreads can garble a value; it cannot make one run.
 */
final class ShellScanner {
    /** Where a character stands, as far as writing a value there is concerned. */
    enum Context {
        /** Outside quotes: the top level, a command substitution, backquotes, or a {@code ${…}} word. */
        UNQUOTED,
        SINGLE_QUOTED,
        DOUBLE_QUOTED,
        /** The body of a here-document whose delimiter was not quoted: expansions happen there. */
        HERE_DOCUMENT,
        /** The body of a here-document whose delimiter was quoted: nothing expands there. */
        QUOTED_HERE_DOCUMENT,
        /** Inside {@code $((…))}: a value there is evaluated as arithmetic. */
        ARITHMETIC,
        COMMENT
    }

    private enum Kind { TOP, COMMAND, BACKQUOTE, PARAMETER, ARITHMETIC, SINGLE, DOUBLE, COMMENT, HEREDOC }

    private static final class Frame {
        final Kind kind;
        int depth;
        final Heredoc heredoc;

        Frame(Kind kind, Heredoc heredoc) {
            this.kind = kind;
            this.heredoc = heredoc;
        }
    }

    private record Heredoc(String delimiter, boolean stripTabs, boolean quoted) {}

    private ShellScanner() {}

    /** Where a character appended to {@code text} would stand. */
    static Context contextAt(String text) {
        Deque<Frame> frames = new ArrayDeque<>();
        frames.push(new Frame(Kind.TOP, null));
        List<Heredoc> pending = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            Frame top = frames.peek();
            char c = text.charAt(i);
            char next = i + 1 < n ? text.charAt(i + 1) : '\0';
            switch (top.kind) {
                case SINGLE -> {
                    if (c == '\'') {
                        frames.pop();
                    }
                    i++;
                }
                case COMMENT -> {
                    if (c == '\n') {
                        frames.pop(); // the newline itself belongs to the enclosing code
                    } else {
                        i++;
                    }
                }
                case HEREDOC -> {
                    int end = text.indexOf('\n', i);
                    if (end < 0) {
                        i = n; // the body goes on past the end
                    } else {
                        String line = text.substring(i, end);
                        if (top.heredoc.stripTabs()) {
                            line = line.replaceFirst("^\t+", "");
                        }
                        if (line.equals(top.heredoc.delimiter())) {
                            frames.pop();
                        }
                        i = end + 1;
                    }
                }
                case DOUBLE -> {
                    if (c == '\\') {
                        i += 2;
                    } else if (c == '"') {
                        frames.pop();
                        i++;
                    } else {
                        i += expansion(frames, text, i);
                    }
                }
                case ARITHMETIC -> {
                    if (c == '(') {
                        top.depth++;
                        i++;
                    } else if (c == ')') {
                        if (top.depth > 0) {
                            top.depth--;
                            i++;
                        } else {
                            frames.pop();
                            i += next == ')' ? 2 : 1;
                        }
                    } else {
                        i += expansion(frames, text, i);
                    }
                }
                case PARAMETER -> {
                    if (c == '}') {
                        frames.pop();
                        i++;
                    } else {
                        i += quoteOrExpansion(frames, text, i);
                    }
                }
                case BACKQUOTE -> {
                    if (c == '`') {
                        frames.pop();
                        i++;
                    } else {
                        i += quoteOrExpansion(frames, text, i);
                    }
                }
                case TOP, COMMAND -> {
                    if (c == '#' && (i == 0 || wordBoundary(text.charAt(i - 1)))) {
                        frames.push(new Frame(Kind.COMMENT, null));
                        i++;
                    } else if (c == '\n' && !pending.isEmpty()) {
                        for (int h = pending.size() - 1; h >= 0; h--) {
                            frames.push(new Frame(Kind.HEREDOC, pending.get(h)));
                        }
                        pending.clear();
                        i++;
                    } else if (top.kind == Kind.COMMAND && c == '(') {
                        top.depth++;
                        i++;
                    } else if (top.kind == Kind.COMMAND && c == ')') {
                        if (top.depth > 0) {
                            top.depth--;
                        } else {
                            frames.pop();
                        }
                        i++;
                    } else if (c == '<' && next == '<') {
                        i = heredocOperator(text, i, pending);
                    } else {
                        i += quoteOrExpansion(frames, text, i);
                    }
                }
            }
        }
        Frame top = frames.peek();
        return switch (top.kind) {
            case TOP, COMMAND, BACKQUOTE, PARAMETER -> Context.UNQUOTED;
            case SINGLE -> Context.SINGLE_QUOTED;
            case DOUBLE -> Context.DOUBLE_QUOTED;
            case ARITHMETIC -> Context.ARITHMETIC;
            case COMMENT -> Context.COMMENT;
            case HEREDOC -> top.heredoc.quoted() ? Context.QUOTED_HERE_DOCUMENT : Context.HERE_DOCUMENT;
        };
    }

    private static boolean wordBoundary(char c) {
        return Character.isWhitespace(c) || ";&|()<>".indexOf(c) >= 0;
    }

    private static int quoteOrExpansion(Deque<Frame> frames, String text, int i) {
        char c = text.charAt(i);
        if (c == '\\') {
            return 2;
        }
        if (c == '\'') {
            frames.push(new Frame(Kind.SINGLE, null));
            return 1;
        }
        if (c == '"') {
            frames.push(new Frame(Kind.DOUBLE, null));
            return 1;
        }
        return expansion(frames, text, i);
    }

    /** {@code $((}, {@code $(}, {@code ${} or a backquote open a frame; anything else is one plain character. */
    private static int expansion(Deque<Frame> frames, String text, int i) {
        char c = text.charAt(i);
        if (c == '`') {
            frames.push(new Frame(Kind.BACKQUOTE, null));
            return 1;
        }
        if (c == '$' && text.startsWith("((", i + 1)) {
            frames.push(new Frame(Kind.ARITHMETIC, null));
            return 3;
        }
        if (c == '$' && text.startsWith("(", i + 1)) {
            frames.push(new Frame(Kind.COMMAND, null));
            return 2;
        }
        if (c == '$' && text.startsWith("{", i + 1)) {
            frames.push(new Frame(Kind.PARAMETER, null));
            return 2;
        }
        return 1;
    }

    /**
     * {@code <<WORD} or {@code <<-WORD}: the body starts after the next newline and ends at a line
     * that is the word; a quote anywhere in the word makes the body literal. {@code <<<} is a
     * here-string, ordinary text. Returns the index after the word.
     */
    private static int heredocOperator(String text, int i, List<Heredoc> pending) {
        if (text.startsWith("<<<", i)) {
            return i + 3;
        }
        int j = i + 2;
        boolean strip = j < text.length() && text.charAt(j) == '-';
        if (strip) {
            j++;
        }
        while (j < text.length() && (text.charAt(j) == ' ' || text.charAt(j) == '\t')) {
            j++;
        }
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        char quote = 0;
        for (; j < text.length(); j++) {
            char c = text.charAt(j);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                quoted = true;
            } else if (c == '\\' && j + 1 < text.length()) {
                quoted = true;
                word.append(text.charAt(++j));
            } else if (wordBoundary(c)) {
                break;
            } else {
                word.append(c);
            }
        }
        if (!word.isEmpty()) {
            pending.add(new Heredoc(word.toString(), strip, quoted));
        }
        return j;
    }
}
