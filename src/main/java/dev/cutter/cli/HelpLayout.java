package dev.cutter.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import picocli.CommandLine;
import picocli.CommandLine.IHelpSectionRenderer;

/**
 * How help is laid out: picocli renders every section unwrapped, then each line too long for the
 * terminal is wrapped at spaces only, so an option label ({@code [--[no-]fail-fast]}), a path
 * ({@code .cutter/ledger.db}) or a URL is never cut in two (picocli's own wrapping breaks after
 * {@code -}, {@code .} and {@code :}). A wrapped line continues under its text: a synopsis under
 * its first option, an option's description under the description column. Every command's help
 * ends with Cutter's exit codes.
 */
final class HelpLayout {
    /** The width picocli renders at: wide enough that it never wraps. */
    private static final int UNWRAPPED = 2000;

    /** The footer every command's help ends with (DESIGN §8, docs/cli.md's exit codes). */
    static final List<String> EXIT_CODES = List.of("%nExit codes:",
            "  0    ok, or nothing to do (already released)",
            "  1    a job or check failed",
            "  2    bad input: spec, arguments, tag, version",
            "  3    refused by a law: a version or tag exists, forward-only, a candidate not validated",
            "  4    a target or the ledger cannot be reached or refuses the credentials",
            "  130  interrupted: the run is recorded as cancelled and can be resumed");

    /** What picocli writes before the synopsis. */
    private static final String SYNOPSIS_HEADING = "Usage: ";

    private HelpLayout() {}

    /** Lays out the help of {@code command} and every subcommand for a terminal {@code width} columns wide (asked only when help is shown). */
    static void install(CommandLine command, IntSupplier width) {
        command.setUsageHelpWidth(UNWRAPPED);
        command.setUsageHelpLongOptionsMaxWidth(30);
        apply(command, width);
    }

    private static void apply(CommandLine command, IntSupplier width) {
        CommandLine.Model.UsageMessageSpec usage = command.getCommandSpec().usageMessage();
        if (!(command.getCommandSpec().userObject() instanceof CommandLine.HelpCommand)) {
            List<String> footer = new ArrayList<>(List.of(usage.footer()));
            footer.addAll(EXIT_CODES);
            usage.footer(footer.toArray(String[]::new));
        }
        Map<String, IHelpSectionRenderer> sections = new LinkedHashMap<>();
        command.getHelpSectionMap().forEach((key, renderer) -> sections.put(key,
                key.equals(CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS)
                        // the synopsis follows its heading "Usage: " on the first line, and continues under its first option
                        ? help -> wrap(SYNOPSIS_HEADING + renderer.render(help), width.getAsInt(),
                                (SYNOPSIS_HEADING + help.commandSpec().qualifiedName() + " ").length()).substring(SYNOPSIS_HEADING.length())
                        : help -> wrap(renderer.render(help), width.getAsInt(), -1)));
        command.setHelpSectionMap(sections);
        command.getSubcommands().values().forEach(sub -> apply(sub, width));
    }

    /**
     * {@code text} with each line longer than {@code width} wrapped at spaces; continuation lines
     * start at {@code hanging} when given, else under the line's description column (after the
     * first gap of two spaces), else under its first character.
     */
    static String wrap(String text, int width, int hanging) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < text.length()) {
            int end = text.indexOf('\n', at);
            String line = end < 0 ? text.substring(at) : text.substring(at, end);
            wrapLine(out, line, Math.max(40, width), hanging >= 0 ? hanging : indent(line), hanging >= 0);
            if (end >= 0) {
                out.append('\n');
            }
            at = end < 0 ? text.length() : end + 1;
        }
        return out.toString();
    }

    private static void wrapLine(StringBuilder out, String line, int width, int indent, boolean synopsis) {
        if (line.length() <= width) {
            out.append(line);
            return;
        }
        List<String> words = words(line, synopsis);
        int column = 0;
        boolean first = true;
        for (String word : words) {
            boolean lead = word.isBlank(); // the line's own leading spaces, and the gap before a description column
            if (!first && !lead && column + 1 + word.length() > width && column > indent) {
                out.append('\n').append(" ".repeat(indent));
                column = indent;
            } else if (!first && !lead && !endsWithSpace(out)) {
                out.append(' ');
                column++;
            }
            out.append(word);
            column += word.length();
            first = false;
        }
    }

    private static boolean endsWithSpace(StringBuilder out) {
        return out.length() > 0 && out.charAt(out.length() - 1) == ' ';
    }

    /**
     * The line's words: runs of non-spaces, in a synopsis with its brackets kept whole ({@code
     * [--tag=TAG | --version=VERSION]} is one), and runs of two or more spaces kept as they are (a
     * layout's columns).
     */
    private static List<String> words(String line, boolean synopsis) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        int depth = 0;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == ' ' && depth == 0) {
                if (!word.isEmpty()) {
                    words.add(word.toString());
                    word.setLength(0);
                }
                int spaces = i;
                while (i < line.length() && line.charAt(i) == ' ') {
                    i++;
                }
                if (i - spaces > 1 || spaces == 0) {
                    words.add(" ".repeat(i - spaces));
                }
                continue;
            }
            if (synopsis) {
                depth += c == '[' || c == '(' ? 1 : (c == ']' || c == ')') && depth > 0 ? -1 : 0;
            }
            word.append(c);
            i++;
        }
        if (!word.isEmpty()) {
            words.add(word.toString());
        }
        return words;
    }

    /** Where a wrapped line continues: under the text after the first two-space gap, else under its first character. */
    private static int indent(String line) {
        int start = 0;
        while (start < line.length() && line.charAt(start) == ' ') {
            start++;
        }
        int gap = line.indexOf("  ", start);
        if (gap > 0 && gap < line.length() / 2 + 1) {
            int column = gap;
            while (column < line.length() && line.charAt(column) == ' ') {
                column++;
            }
            return column < line.length() ? column + 2 : start;
        }
        return start;
    }
}
