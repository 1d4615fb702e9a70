package dev.cutter.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    /**
     * {@code {name}} or {@code {name.field}}, with the {@link TemplateFilter}s its value goes
     * through ({@code {name|slug}}); {@code offset} is its index in the source.
     */
    public record Placeholder(String name, int offset, List<TemplateFilter> filters) implements Part {
        public Placeholder {
            filters = List.copyOf(filters);
        }

        public Placeholder(String name, int offset) {
            this(name, offset, List.of());
        }

        /** {@code value} through this placeholder's filters, left to right. */
        public String filtered(String value) {
            for (TemplateFilter filter : filters) {
                value = filter.apply(value);
            }
            return value;
        }

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
                String inside = source.substring(i + 1, close);
                int bar = inside.indexOf('|');
                String name = (bar < 0 ? inside : inside.substring(0, bar)).trim();
                List<TemplateFilter> filters = List.of();
                if (bar >= 0) {
                    try {
                        filters = TemplateFilter.parseAll(inside.substring(bar).trim());
                    } catch (IllegalArgumentException e) {
                        throw new TemplateSyntaxException(i, "{" + inside + "}: " + e.getMessage());
                    }
                }
                if (name.startsWith(DateFormat.PREFIX)) { // {date:yyyy-MM-dd}
                    Optional<String> problem = DateFormat.problem(name.substring(DateFormat.PREFIX.length()));
                    if (problem.isPresent()) {
                        throw new TemplateSyntaxException(i, "{" + name + "}: " + problem.get());
                    }
                    flush(literal, parts);
                    parts.add(new Placeholder(name, i, filters));
                    i = close + 1;
                    continue;
                }
                if (!name.matches("[A-Za-z_][A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]+)*")) {
                    throw new TemplateSyntaxException(i, "'{" + source.substring(i + 1, close)
                            + "}' is not a placeholder name; write {version}, {vars.NAME}, {platform.arch}… or '{{' for a literal brace");
                }
                flush(literal, parts);
                parts.add(new Placeholder(name, i, filters));
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
                case Placeholder p -> out.append(value(scope, p));
            }
        }
        return out.toString();
    }

    /**
     * A placeholder's value, which is data: a secret reference inside it would be resolved where
     * the rendered text is used, so a value that could set one (a var from the API, a commit, a
     * data file) is refused rather than let it read the environment or a file.
     */
    private String value(Scope scope, Placeholder p) {
        String value = p.filtered(scope.lookup(p.name()).orElseThrow(() -> new UnresolvedPlaceholderException(this, p)));
        if (SECRET_IN_VALUE.matcher(value).find()) {
            throw new UnsafeValueException(this, p, "its value holds a secret reference (${env:…} or ${file:…}); "
                    + "a value is data, so write the reference in the spec itself");
        }
        return value;
    }

    private static final java.util.regex.Pattern SECRET_IN_VALUE = java.util.regex.Pattern.compile("\\$\\{(env|file):");

    /** A value the shell reads as one inert word wherever it stands: no quote, blank, expansion or operator. */
    private static final java.util.regex.Pattern PLAIN_WORD = java.util.regex.Pattern.compile("[A-Za-z0-9._+:,/=@%-]+");

    /**
     * Renders a shell command: each placeholder's value reaches the shell as data, never as shell
     * text. A value made only of letters, digits and {@code ._+:,/=@%-} is written as it is (it
     * means the same in every shell context, so plans stay readable); any other value is passed
     * in an environment variable {@code CUTTER_VALUE_<NAME>} that the command reads through a
     * parameter expansion quoted for where the placeholder stands, so {@code $(…)}, quotes,
     * {@code ;} or a newline in it are never parsed. An empty value outside quotes is {@code ''},
     * one empty word.
     */
    public ShellCommand renderCommand(Scope scope) {
        StringBuilder out = new StringBuilder();
        Map<String, String> env = new java.util.TreeMap<>();
        for (Part part : parts) {
            switch (part) {
                case Literal l -> out.append(l.text());
                case SecretRef s -> out.append(s.written());
                case Placeholder p -> {
                    String value = value(scope, p);
                    ShellScanner.Context where = ShellScanner.contextAt(out.toString());
                    if (PLAIN_WORD.matcher(value).matches()) {
                        out.append(value);
                    } else if (value.isEmpty() && where == ShellScanner.Context.UNQUOTED) {
                        out.append("''");
                    } else if (value.isEmpty() && where != ShellScanner.Context.ARITHMETIC) {
                        // nothing to write inside quotes or a here-document
                    } else {
                        String variable = variableFor(p, value, env);
                        out.append(switch (where) {
                            case UNQUOTED -> "\"${" + variable + "}\"";
                            case SINGLE_QUOTED -> "'\"${" + variable + "}\"'";
                            case DOUBLE_QUOTED, HERE_DOCUMENT, COMMENT -> "${" + variable + "}";
                            case QUOTED_HERE_DOCUMENT -> throw new UnsafeValueException(this, p,
                                    "it stands in a here-document with a quoted delimiter, where nothing expands, and its value '"
                                            + value + "' is not a plain word; pass it in env: and read the variable outside the here-document");
                            case ARITHMETIC -> throw new UnsafeValueException(this, p,
                                    "it stands in $((…)), where the shell evaluates it, and its value '" + value
                                            + "' is not a plain word");
                        });
                    }
                }
            }
        }
        return new ShellCommand(out.toString(), Map.copyOf(env));
    }

    /** {@code {vars.BUILD_TAGS}} → {@code CUTTER_VALUE_VARS_BUILD_TAGS}; another value under the same name gets a number. */
    private static String variableFor(Placeholder p, String value, Map<String, String> env) {
        String base = "CUTTER_VALUE_" + p.name().toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
        String name = base;
        for (int n = 2; env.containsKey(name) && !env.get(name).equals(value); n++) {
            name = base + "_" + n;
        }
        env.put(name, value);
        return name;
    }

    /**
     * A command rendered from a template: its text, and the environment variables that carry the
     * values of placeholders that are not plain words (see {@link #renderCommand}).
     */
    public record ShellCommand(String text, Map<String, String> env) {
        /** The command and its variables' names, not their values. */
        @Override
        public String toString() {
            return "ShellCommand[text=" + text + ", env=" + new java.util.TreeSet<>(env.keySet()) + "]";
        }
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

    /** A placeholder that could not be rendered: which template, which placeholder, and why. */
    public abstract static sealed class PlaceholderException extends RuntimeException
            permits UnsafeValueException, UnresolvedPlaceholderException {
        private final Template template;
        private final Placeholder placeholder;

        PlaceholderException(Template template, Placeholder placeholder, String message) {
            super(message);
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

    /** A placeholder whose value may not stand where it stands. */
    public static final class UnsafeValueException extends PlaceholderException {
        public UnsafeValueException(Template template, Placeholder placeholder, String reason) {
            super(template, placeholder, "{" + placeholder.name() + "}: " + reason);
        }
    }

    /** A placeholder with no value in the scope it was rendered in. */
    public static final class UnresolvedPlaceholderException extends PlaceholderException {
        public UnresolvedPlaceholderException(Template template, Placeholder placeholder) {
            super(template, placeholder, "{" + placeholder.name() + "} has no value here");
        }
    }
}
