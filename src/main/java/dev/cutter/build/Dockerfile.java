package dev.cutter.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What Cutter reads of a Dockerfile before building it: the build args it declares ({@code ARG},
 * before or after {@code FROM}), the images its stages start from, and whether any stage has a
 * {@code RUN} step (which runs programs of the target platform, so needs the machine to run them).
 * Instructions are read as the Dockerfile reference describes them: case-insensitive keywords,
 * {@code #} comment lines, lines continued with a trailing backslash (or the escape character a
 * {@code # escape=} directive names).
 *
 * @param args declared build args, with the line of their first declaration
 * @param bases the images {@code FROM} names (stage names excluded), in order, as written
 * @param runs whether any {@code RUN} step is present
 * @param defaults the default values of the build args declared before the first {@code FROM}
 *     (the only ones a {@code FROM} line can use)
 */
public record Dockerfile(Map<String, Integer> args, List<String> bases, boolean runs, Map<String, String> defaults) {
    /**
     * Build args every builder knows without an {@code ARG}: the proxy variables (which it passes
     * to {@code RUN} but keeps out of the image's history).
     */
    public static final Set<String> PREDEFINED = Set.of("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY",
            "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy");

    public Dockerfile {
        args = Map.copyOf(args);
        bases = List.copyOf(bases);
        defaults = Map.copyOf(defaults);
    }

    /**
     * The base images with their build args substituted as a builder substitutes them in
     * {@code FROM}: {@code args} given for the build, else the default of an {@code ARG} declared
     * before the first {@code FROM}; {@code $NAME} and {@code ${NAME}} forms. A base still naming an
     * arg with no value is known only to the builder, and is left out.
     */
    public List<String> bases(Map<String, String> given) {
        List<String> resolved = new ArrayList<>();
        for (String base : bases) {
            StringBuilder out = new StringBuilder();
            java.util.regex.Matcher m = VARIABLE.matcher(base);
            boolean known = true;
            while (m.find()) {
                String name = m.group(1) != null ? m.group(1) : m.group(2);
                String value = given.containsKey(name) ? given.get(name) : defaults.get(name);
                if (value == null || value.isEmpty()) {
                    known = false;
                    break;
                }
                m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(value));
            }
            if (!known) {
                continue;
            }
            m.appendTail(out);
            String image = out.toString();
            if (!image.contains("$") && !resolved.contains(image)) {
                resolved.add(image);
            }
        }
        return resolved;
    }

    private static final java.util.regex.Pattern VARIABLE =
            java.util.regex.Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    /** Whether {@code name} may be given as a build arg. */
    public boolean accepts(String name) {
        return args.containsKey(name) || PREDEFINED.contains(name);
    }

    public static Dockerfile read(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    public static Dockerfile parse(String text) {
        String[] lines = text.split("\r?\n", -1);
        char escape = '\\';
        for (String line : lines) { // parser directives: only at the very top, before any instruction or other comment
            String t = line.strip();
            if (!t.startsWith("#")) {
                break;
            }
            String directive = t.substring(1).strip().toLowerCase(Locale.ROOT);
            if (directive.startsWith("escape=") && directive.length() > 7) {
                escape = t.substring(t.indexOf('=') + 1).strip().charAt(0);
            }
        }
        Map<String, Integer> args = new LinkedHashMap<>();
        List<String> bases = new ArrayList<>();
        List<String> stages = new ArrayList<>();
        Map<String, String> defaults = new LinkedHashMap<>();
        boolean runs = false;
        boolean global = true; // before the first FROM
        StringBuilder instruction = new StringBuilder();
        int start = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (instruction.isEmpty()) {
                if (line.strip().isEmpty() || line.strip().startsWith("#")) {
                    continue;
                }
                start = i + 1;
            } else if (line.strip().startsWith("#")) {
                continue; // a comment inside a continued instruction is dropped
            }
            String stripped = line.stripTrailing();
            if (!stripped.isEmpty() && stripped.charAt(stripped.length() - 1) == escape) {
                instruction.append(stripped, 0, stripped.length() - 1).append(' ');
                continue;
            }
            instruction.append(line);
            String whole = instruction.toString().strip();
            instruction.setLength(0);
            String[] words = whole.split("\\s+");
            String keyword = words[0].toUpperCase(Locale.ROOT);
            switch (keyword) {
                case "ARG" -> {
                    for (int w = 1; w < words.length; w++) {
                        String name = words[w].contains("=") ? words[w].substring(0, words[w].indexOf('=')) : words[w];
                        if (!name.isEmpty()) {
                            args.putIfAbsent(name, start);
                        }
                        if (!name.isEmpty() && global && words[w].contains("=")) {
                            defaults.put(name, unquoted(words[w].substring(words[w].indexOf('=') + 1)));
                        }
                    }
                }
                case "FROM" -> {
                    global = false;
                    List<String> rest = new ArrayList<>();
                    for (int w = 1; w < words.length; w++) {
                        if (!words[w].startsWith("--")) {
                            rest.add(words[w]);
                        }
                    }
                    if (!rest.isEmpty()) {
                        String image = rest.get(0);
                        if (!stages.contains(image.toLowerCase(Locale.ROOT)) && !bases.contains(image)) {
                            bases.add(image);
                        }
                        if (rest.size() >= 3 && rest.get(1).equalsIgnoreCase("AS")) {
                            stages.add(rest.get(2).toLowerCase(Locale.ROOT));
                        }
                    }
                }
                case "RUN" -> runs = true;
                default -> { }
            }
        }
        return new Dockerfile(args, bases, runs, defaults);
    }

    private static String unquoted(String value) {
        return value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))
                ? value.substring(1, value.length() - 1) : value;
    }
}
