package dev.cutter.spec;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The axes an entry is multiplied over. {@code rows} holds cells read from a data file; when
 * present they are the cells (no cartesian product). Otherwise the cells are the product of
 * {@code axes}, minus rows matching an {@code exclude}, plus the {@code include} rows.
 */
public record MatrixSpec(List<Axis> axes, List<Map<String, String>> include, List<Map<String, String>> exclude,
        List<Map<String, String>> rows, Optional<String> source) {

    public static final String PLATFORM = "platform";

    public static MatrixSpec empty() {
        return new MatrixSpec(List.of(), List.of(), List.of(), List.of(), Optional.empty());
    }

    public boolean isEmpty() {
        return axes.isEmpty() && rows.isEmpty() && include.isEmpty();
    }

    public Optional<Axis> axis(String name) {
        return axes.stream().filter(a -> a.name().equals(name)).findFirst();
    }

    public boolean hasPlatforms() {
        return axis(PLATFORM).isPresent();
    }

    /**
     * One axis: values are scalars ({@code {axis}} is the value) or named objects
     * ({@code {axis}} is the name, {@code {axis.field}} a field).
     */
    public record Axis(String name, List<AxisValue> values) {
        public Optional<AxisValue> value(String key) {
            return values.stream().filter(v -> v.key().equals(key)).findFirst();
        }
    }

    public record AxisValue(String key, Map<String, String> fields) {}
}
