package dev.cutter.spec;

import dev.cutter.spec.YamlNode.ListNode;
import dev.cutter.spec.YamlNode.MapNode;
import dev.cutter.spec.YamlNode.ScalarNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Matrix cells read from a JSON or YAML data file (e.g. a {@code build_summary.json} a generator
 * wrote): {@code path} is {@code $} followed by {@code .key} and {@code [index]} steps, and must
 * lead to a list of flat objects; each object is one cell, each key an axis.
 */
final class DataMatrix {
    private static final Pattern STEP = Pattern.compile("\\.([A-Za-z0-9_-]+)|\\[(\\d+)]");

    private DataMatrix() {}

    static List<Map<String, String>> read(Problems problems, Path file, String path, Location from, String at) {
        if (!path.startsWith("$")) {
            problems.add(from, at, "path '" + path + "' must start with $, e.g. path: \"$.include\"");
            return List.of();
        }
        YamlNode node;
        if (!java.nio.file.Files.isRegularFile(file)) {
            problems.add(from, at, "cannot read the matrix data file " + file + ": file not found; check 'from:'"
                    + " (a path relative to the spec's directory)");
            return List.of();
        }
        try {
            node = YamlReader.read(file);
        } catch (SpecException e) {
            SpecError first = e.errors().get(0);
            problems.add(from, at, "cannot read the matrix data file " + file + ": "
                    + (first.location().line() > 0 ? "line " + first.location() + ": " : "") + first.message());
            return List.of();
        }
        Matcher steps = STEP.matcher(path);
        int position = 1;
        while (position < path.length()) {
            if (!steps.find(position) || steps.start() != position) {
                problems.add(from, at, "path '" + path + "' is not $ followed by .key and [index] steps");
                return List.of();
            }
            if (steps.group(1) != null) {
                if (!(node instanceof MapNode map) || !map.entries().containsKey(steps.group(1))) {
                    problems.add(from, at, file + ": path '" + path + "' finds no key '" + steps.group(1) + "'");
                    return List.of();
                }
                node = map.entries().get(steps.group(1)).value();
            } else {
                String digits = steps.group(2);
                int index = digits.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(digits); // no list holds more
                if (!(node instanceof ListNode list) || index >= list.items().size()) {
                    problems.add(from, at, file + ": path '" + path + "' finds no item [" + digits + "]");
                    return List.of();
                }
                node = list.items().get(index);
            }
            position = steps.end();
        }
        if (!(node instanceof ListNode list)) {
            problems.add(from, at, file + ": path '" + path + "' leads to " + node.describe() + ", not a list of cells");
            return List.of();
        }
        List<Map<String, String>> rows = new ArrayList<>();
        for (YamlNode item : list.items()) {
            if (!(item instanceof MapNode map)) {
                problems.add(from, at, file + ":" + item.location() + ": a matrix cell is an object of axis values, found "
                        + item.describe());
                continue;
            }
            Map<String, String> row = new LinkedHashMap<>();
            map.entries().forEach((key, entry) -> {
                if (entry.value() instanceof ScalarNode s) {
                    row.put(key, s.text());
                } else {
                    problems.add(from, at, file + ":" + entry.value().location() + ": axis value '" + key
                            + "' must be a single value, found " + entry.value().describe());
                }
            });
            rows.add(Collections.unmodifiableMap(row));
        }
        return List.copyOf(rows);
    }
}
