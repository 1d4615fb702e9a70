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
        return values.values().stream().map(v -> slug(v.key())).collect(Collectors.joining("-"));
    }

    static String slug(String text) {
        String s = text.trim().replaceAll("[^A-Za-z0-9._]+", "-").replaceAll("^-+|-+$", "");
        return s.isEmpty() ? "_" : s;
    }
}
