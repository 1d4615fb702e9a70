package dev.cutter.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a placeholder's value goes through before it is written: {@code {runtime|slug}},
 * {@code {variant|trim(".")}}, {@code {runtime|lower|replace(" ", "-")}}, left to right. Filters
 * let a data file be used as it comes (a seed's {@code "runtime": "17.3 LTS"} or
 * {@code "variant": ".ml"}) instead of being rewritten for Cutter. They are read when the spec is
 * loaded, so an unknown filter or a wrong argument is a fault at its line and column.
 *
 * @param name      {@code lower}, {@code upper}, {@code slug}, {@code trim} or {@code replace}
 * @param arguments its string arguments, unquoted
 */
public record TemplateFilter(String name, List<String> arguments) {
    /** Every filter, as a fault lists them. */
    static final String KNOWN = "lower, upper, slug, trim, trim(\"CHARS\"), replace(\"FROM\", \"TO\")";

    public TemplateFilter {
        arguments = List.copyOf(arguments);
    }

    /** {@code value} through this filter. */
    public String apply(String value) {
        return switch (name) {
            case "lower" -> value.toLowerCase(Locale.ROOT);
            case "upper" -> value.toUpperCase(Locale.ROOT);
            // what an image tag, a file name or a URL segment can hold: lower case, runs of anything
            // else than letters, digits, '.', '_' and '-' made one '-', none at either end
            case "slug" -> value.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
            case "trim" -> arguments.isEmpty() ? value.strip() : trim(value, arguments.getFirst());
            case "replace" -> value.replace(arguments.get(0), arguments.get(1));
            default -> throw new IllegalStateException("filter " + name + " was not checked when it was read");
        };
    }

    private static String trim(String value, String chars) {
        int start = 0;
        int end = value.length();
        while (start < end && chars.indexOf(value.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && chars.indexOf(value.charAt(end - 1)) >= 0) {
            end--;
        }
        return value.substring(start, end);
    }

    /**
     * Reads the filters written after a placeholder's name: {@code |slug|replace(" ", "-")}.
     *
     * @param text the text after the name, starting at its first {@code |}
     * @throws IllegalArgumentException saying what is wrong and what to write instead
     */
    static List<TemplateFilter> parseAll(String text) {
        List<TemplateFilter> filters = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            if (text.charAt(i) != '|') {
                throw new IllegalArgumentException("expected '|' before a filter at '" + text.substring(i) + "'");
            }
            i++;
            while (i < text.length() && text.charAt(i) == ' ') {
                i++;
            }
            int nameStart = i;
            while (i < text.length() && Character.isLetter(text.charAt(i))) {
                i++;
            }
            String name = text.substring(nameStart, i).strip();
            List<String> arguments = new ArrayList<>();
            if (i < text.length() && text.charAt(i) == '(') {
                i++;
                while (true) {
                    while (i < text.length() && text.charAt(i) == ' ') {
                        i++;
                    }
                    if (i < text.length() && text.charAt(i) == ')') {
                        i++;
                        break;
                    }
                    if (i >= text.length() || text.charAt(i) != '"') {
                        throw new IllegalArgumentException("filter " + name + "'s arguments are quoted strings, e.g. "
                                + name + "(\" \", \"-\")");
                    }
                    int close = text.indexOf('"', i + 1);
                    if (close < 0) {
                        throw new IllegalArgumentException("filter " + name + " has an unclosed '\"'");
                    }
                    arguments.add(text.substring(i + 1, close));
                    i = close + 1;
                    while (i < text.length() && text.charAt(i) == ' ') {
                        i++;
                    }
                    if (i < text.length() && text.charAt(i) == ',') {
                        i++;
                    } else if (i >= text.length() || text.charAt(i) != ')') {
                        throw new IllegalArgumentException("filter " + name + "'s arguments are separated by ',' and closed by ')'");
                    }
                }
            }
            while (i < text.length() && text.charAt(i) == ' ') {
                i++;
            }
            filters.add(checked(name, arguments));
        }
        return filters;
    }

    private static TemplateFilter checked(String name, List<String> arguments) {
        int wanted = switch (name) {
            case "lower", "upper", "slug" -> 0;
            case "trim" -> arguments.size() <= 1 ? arguments.size() : 1;
            case "replace" -> 2;
            default -> throw new IllegalArgumentException("'" + name + "' is not a filter; the filters are " + KNOWN);
        };
        if (arguments.size() != wanted) {
            throw new IllegalArgumentException("filter " + name + " takes " + (wanted == 0 ? "no arguments"
                    : wanted == 1 ? "one argument" : wanted + " arguments") + "; write e.g. "
                    + switch (name) {
                        case "trim" -> "trim(\".\")";
                        case "replace" -> "replace(\" \", \"-\")";
                        default -> name;
                    });
        }
        if (name.equals("replace") && arguments.getFirst().isEmpty()) {
            throw new IllegalArgumentException("filter replace needs something to replace; write e.g. replace(\" \", \"-\")");
        }
        return new TemplateFilter(name, arguments);
    }
}
