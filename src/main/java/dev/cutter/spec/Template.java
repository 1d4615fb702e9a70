package dev.cutter.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A string from the spec with {@code {placeholders}}, parsed once and rendered per job.
 *
 * <p>Syntax: {@code {name}} or {@code {name.field}} is a placeholder; {@code {{} and {@code }}}
 * write literal braces (for Go templates in commands); {@code ${env:NAME}} and
 * {@code ${file:path}} are secret references kept as written until the moment of use, so they
 * never reach a plan or a ledger. Any other {@code $&#123;...&#125;} is left for the shell.
 * Where it came from is kept so a bad placeholder is reported at its line.
 */
public record Template(String source, Location location, String path, List<Part> parts) {
    public sealed interface Part {}

    public record Literal(String text) implements Part {}

    /** {@code {name}} or {@code {name.field}}; {@code offset} is its index in the source. */
    public record Placeholder(String name, int offset) implements Part {
        /** The part before the first dot: the scope it is looked up in. */
        public String head() {
            int dot = name.indexOf('.');
            return dot < 0 ? name : name.substring(0, dot);
        }

        public Optional<String> field() {
            int dot = name.indexOf('.');
            return dot < 0 ? Optional.empty() : Optional.of(name.substring(dot + 1));
        }
    }

    /** {@code ${env:NAME}} or {@code ${file:path}}: resolved only when a job uses it. */
    public record SecretRef(String kind, String name) implements Part {
        public String written() {
            return "${" + kind + ":" + name + "}";
        }
    }

    /** Looks up placeholder values; returns empty for a name it does not know. */
    @FunctionalInterface
    public interface Scope {
        Optional<String> lookup(String name);
    }

    public static Template literal(String text) {
        return parse(text, Location.UNKNOWN, "");
    }

    /** Parses {@code source}; a malformed brace is a {@link TemplateSyntaxException}. */
    public static Template parse(String source, Location location, String path) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (c == '$' && i + 1 < n && source.charAt(i + 1) == '{') {
                int close = source.indexOf('}', i + 2);
                String inner = close < 0 ? "" : source.substring(i + 2, close);
                int colon = inner.indexOf(':');
                String kind = colon < 0 ? "" : inner.substring(0, colon);
                if (close > 0 && (kind.equals("env") || kind.equals("file"))) {
                    String name = inner.substring(colon + 1);
                    if (name.isEmpty()) {
                        throw new TemplateSyntaxException(i, "${" + kind + ":} names nothing; write ${" + kind
                                + (kind.equals("env") ? ":NAME}" : ":path/to/file}"));
                    }
                    flush(literal, parts);
                    parts.add(new SecretRef(kind, name));
                    i = close + 1;
                    continue;
                }
                // ${VAR} or $${...}: shell syntax, kept literally.
                int end = close < 0 ? n : close + 1;
                literal.append(source, i, end);
                i = end;
                continue;
            }
            if (c == '{') {
                if (i + 1 < n && source.charAt(i + 1) == '{') {
                    literal.append('{');
                    i += 2;
                    continue;
                }
                int close = source.indexOf('}', i + 1);
                if (close < 0) {
                    throw new TemplateSyntaxException(i, "unclosed '{'; close the placeholder with '}' or write '{{' for a literal brace");
                }
                String name = source.substring(i + 1, close).trim();
                if (!name.matches("[A-Za-z_][A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]+)*")) {
                    throw new TemplateSyntaxException(i, "'{" + source.substring(i + 1, close)
                            + "}' is not a placeholder name; write {version}, {vars.NAME}, {platform.arch}… or '{{' for a literal brace");
                }
                flush(literal, parts);
                parts.add(new Placeholder(name, i));
                i = close + 1;
                continue;
            }
            if (c == '}') {
                if (i + 1 < n && source.charAt(i + 1) == '}') {
                    literal.append('}');
                    i += 2;
                    continue;
                }
                throw new TemplateSyntaxException(i, "unmatched '}'; write '}}' for a literal brace");
            }
            literal.append(c);
            i++;
        }
        flush(literal, parts);
        return new Template(source, location, path, List.copyOf(parts));
    }

    private static void flush(StringBuilder literal, List<Part> parts) {
        if (!literal.isEmpty()) {
            parts.add(new Literal(literal.toString()));
            literal.setLength(0);
        }
    }

    public List<Placeholder> placeholders() {
        return parts.stream().filter(Placeholder.class::isInstance).map(Placeholder.class::cast).toList();
    }

    public boolean mentions(String head) {
        return placeholders().stream().anyMatch(p -> p.head().equals(head) || p.name().equals(head));
    }

    public boolean hasSecret() {
        return parts.stream().anyMatch(SecretRef.class::isInstance);
    }

    /**
     * Renders with {@code scope}; secret references stay as written. A placeholder the scope
     * does not know is an {@link UnresolvedPlaceholderException}: validation should have caught it.
     */
    public String render(Scope scope) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            switch (part) {
                case Literal l -> out.append(l.text());
                case SecretRef s -> out.append(s.written());
                case Placeholder p -> out.append(scope.lookup(p.name())
                        .orElseThrow(() -> new UnresolvedPlaceholderException(this, p)));
            }
        }
        return out.toString();
    }

    /** The location of a character of the source, for a YAML plain or quoted scalar on one line. */
    public Location locationOf(int offset) {
        return locate(location, source, offset);
    }

    /**
     * Where character {@code offset} of {@code source} stands, given where the source starts: on
     * a later line of a block scalar, the column counts from that line's indentation.
     */
    public static Location locate(Location start, String source, int offset) {
        if (start.line() == 0) {
            return start;
        }
        String before = source.substring(0, Math.min(offset, source.length()));
        int newlines = (int) before.chars().filter(c -> c == '\n').count();
        if (newlines == 0) {
            return new Location(start.line(), start.column() + offset);
        }
        return new Location(start.line() + newlines, start.column() + offset - before.lastIndexOf('\n') - 1);
    }

    @Override
    public String toString() {
        return source;
    }

    /** A brace that does not form a placeholder, at {@code offset} in the source. */
    public static final class TemplateSyntaxException extends RuntimeException {
        private final int offset;

        public TemplateSyntaxException(int offset, String message) {
            super(message);
            this.offset = offset;
        }

        public int offset() {
            return offset;
        }
    }

    /** A placeholder with no value in the scope it was rendered in. */
    public static final class UnresolvedPlaceholderException extends RuntimeException {
        private final Template template;
        private final Placeholder placeholder;

        public UnresolvedPlaceholderException(Template template, Placeholder placeholder) {
            super("{" + placeholder.name() + "} has no value here");
            this.template = template;
            this.placeholder = placeholder;
        }

        public Template template() {
            return template;
        }

        public Placeholder placeholder() {
            return placeholder;
        }
    }
}
