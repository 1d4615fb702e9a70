package dev.cutter.spec;

import dev.cutter.spec.MatrixSpec.AxisValue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** One combination of matrix values, in axis order. An entry without a matrix has one empty cell. */
public record Cell(Map<String, AxisValue> values) {
    public static final Cell EMPTY = new Cell(Map.of());

    public Cell {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    public Optional<AxisValue> get(String axis) {
        return Optional.ofNullable(values.get(axis));
    }

    /** The same cell without {@code axis}: images group their platforms by it into one index. */
    public Cell without(String axis) {
        Map<String, AxisValue> copy = new LinkedHashMap<>(values);
        copy.remove(axis);
        return new Cell(copy);
    }

    /** Resolves {@code {axis}} and {@code {axis.field}}. */
    public Optional<String> lookup(String name) {
        int dot = name.indexOf('.');
        String axis = dot < 0 ? name : name.substring(0, dot);
        AxisValue value = values.get(axis);
        if (value == null) {
            return Optional.empty();
        }
        return dot < 0 ? Optional.of(value.key()) : Optional.ofNullable(value.fields().get(name.substring(dot + 1)));
    }

    /** {@code axis=value} pairs, for people and for the plan's JSON. */
    public Map<String, String> labels() {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((axis, value) -> out.put(axis, value.key()));
        return out;
    }

    /** A short, path-safe name of the cell for job ids: values joined with '-'. */
    public String slug() {
        return slug(values.keySet());
    }

    /** The slug over only {@code axes} (those that tell an entry's cells apart). */
    public String slug(java.util.Set<String> axes) {
        return values.entrySet().stream().filter(e -> axes.contains(e.getKey()))
                .map(e -> safe(e.getValue().key())).collect(Collectors.joining("-"));
    }

    /**
     * The fewest leading axes, in axis order, whose values tell {@code cells} apart: enough to
     * name each cell without repeating what follows from the others (a data file's derived
     * columns, an axis with a single value).
     */
    public static java.util.Set<String> varying(java.util.List<Cell> cells) {
        java.util.Set<String> chosen = new java.util.LinkedHashSet<>();
        java.util.Set<String> axes = new java.util.LinkedHashSet<>();
        cells.forEach(c -> axes.addAll(c.values.keySet()));
        int distinct = 1;
        for (String axis : axes) {
            if (distinct == cells.size()) {
                break;
            }
            chosen.add(axis);
            int now = (int) cells.stream().map(c -> c.slug(chosen)).distinct().count();
            if (now > distinct) {
                distinct = now;
            } else {
                chosen.remove(axis);
            }
        }
        return chosen;
    }

    private static final java.util.regex.Pattern UNSAFE = java.util.regex.Pattern.compile("[^A-Za-z0-9._]+");
    private static final java.util.regex.Pattern EDGES = java.util.regex.Pattern.compile("^-+|-+$");

    static String safe(String text) {
        String s = EDGES.matcher(UNSAFE.matcher(text.trim()).replaceAll("-")).replaceAll("");
        return s.isEmpty() ? "_" : s;
    }
}
