package dev.cutter.spec;

import dev.cutter.spec.MatrixSpec.Axis;
import dev.cutter.spec.MatrixSpec.AxisValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Expands a {@link MatrixSpec} into its cells. Pure. */
public final class Matrix {
    private Matrix() {}

    /** Every cell of {@code matrix}, then kept only where each {@code only} filter it names agrees. */
    public static List<Cell> expand(MatrixSpec matrix, Map<String, List<String>> only) {
        List<Cell> cells = new ArrayList<>();
        if (!matrix.rows().isEmpty()) {
            for (Map<String, String> row : matrix.rows()) {
                cells.add(cellOf(matrix, row));
            }
        } else if (!matrix.axes().isEmpty() || matrix.include().isEmpty()) {
            cells.add(Cell.EMPTY);
        }
        // rows from a data file are multiplied only by the axes written beside them (platforms)
        for (Axis axis : matrix.axes()) {
            cells = times(cells, axis);
        }
        cells.removeIf(cell -> matrix.exclude().stream().anyMatch(ex -> matches(cell, ex)));
        for (Map<String, String> row : matrix.include()) {
            List<Cell> added = List.of(cellOf(matrix, row));
            for (Axis axis : matrix.axes()) { // a row of a data-file matrix leaves out the axes written beside it
                if (!row.containsKey(axis.name())) {
                    added = times(added, axis);
                }
            }
            for (Cell cell : added) {
                if (!cells.contains(cell)) {
                    cells.add(cell);
                }
            }
        }
        if (!only.isEmpty()) {
            cells.removeIf(cell -> !selected(cell, only));
        }
        return List.copyOf(cells);
    }

    /** Each of {@code cells} with each value of {@code axis}: cells times the axis, cell by cell in order. */
    private static List<Cell> times(List<Cell> cells, Axis axis) {
        List<Cell> out = new ArrayList<>(cells.size() * Math.max(1, axis.values().size()));
        for (Cell cell : cells) {
            for (AxisValue value : axis.values()) {
                Map<String, AxisValue> values = new LinkedHashMap<>(cell.values());
                values.put(axis.name(), value);
                out.add(new Cell(values));
            }
        }
        return out;
    }

    /** Above this many combinations of the axes exclude rows name, their rows are not subtracted from a count. */
    private static final long ENUMERATED = 1_000_000;

    /**
     * How many cells {@link #expand} makes, counted without making them: the product of the
     * axes (times the data-file rows), minus the cells exclude rows remove, plus what include
     * rows add. Saturates at {@link Long#MAX_VALUE}. An include row that repeats a cell is counted
     * anyway, and exclude rows are not subtracted when the axes they name alone span more than a
     * million combinations: the count is then an upper bound.
     */
    public static long count(MatrixSpec matrix) {
        java.util.Set<String> named = new java.util.HashSet<>();
        matrix.exclude().forEach(row -> named.addAll(row.keySet()));
        long free = 1;
        List<Axis> bound = new ArrayList<>();
        for (Axis axis : matrix.axes()) {
            if (named.contains(axis.name())) {
                bound.add(axis);
            } else {
                free = times(free, axis.values().size());
            }
        }
        List<Map<String, String>> rows = !matrix.rows().isEmpty() ? matrix.rows()
                : !matrix.axes().isEmpty() || matrix.include().isEmpty() ? List.of(Map.of()) : List.of();
        long combinations = rows.size();
        for (Axis axis : bound) {
            combinations = times(combinations, axis.values().size());
        }
        long kept = combinations == 0 ? 0 : combinations <= ENUMERATED ? unexcluded(matrix, rows, bound) : combinations;
        long total = times(free, kept);
        for (Map<String, String> row : matrix.include()) {
            long added = 1;
            for (Axis axis : matrix.axes()) {
                if (!row.containsKey(axis.name())) {
                    added = times(added, axis.values().size());
                }
            }
            total = total > Long.MAX_VALUE - added ? Long.MAX_VALUE : total + added;
        }
        return total;
    }

    /** The combinations of each row with the values of {@code bound} that no exclude row matches. */
    private static long unexcluded(MatrixSpec matrix, List<Map<String, String>> rows, List<Axis> bound) {
        long kept = 0;
        int[] at = new int[bound.size()];
        for (Map<String, String> row : rows) {
            java.util.Arrays.fill(at, 0);
            while (true) {
                Map<String, String> cell = new java.util.HashMap<>(row);
                for (int i = 0; i < bound.size(); i++) {
                    cell.put(bound.get(i).name(), bound.get(i).values().get(at[i]).key());
                }
                if (matrix.exclude().stream().noneMatch(ex -> cell.entrySet().containsAll(ex.entrySet()))) {
                    kept++;
                }
                int i = bound.size() - 1;
                while (i >= 0 && ++at[i] == bound.get(i).values().size()) {
                    at[i--] = 0;
                }
                if (i < 0) {
                    break;
                }
            }
        }
        return kept;
    }

    private static long times(long a, long b) {
        return a != 0 && b > Long.MAX_VALUE / a ? Long.MAX_VALUE : a * b;
    }

    public static List<Cell> expand(MatrixSpec matrix) {
        return expand(matrix, Map.of());
    }

    /** A cell is selected when, for every filtered axis it has, its value is one of the filter's. */
    static boolean selected(Cell cell, Map<String, List<String>> only) {
        for (Map.Entry<String, List<String>> filter : only.entrySet()) {
            var value = cell.get(filter.getKey());
            if (value.isPresent() && !filter.getValue().contains(value.get().key())) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(Cell cell, Map<String, String> pattern) {
        for (Map.Entry<String, String> e : pattern.entrySet()) {
            var value = cell.get(e.getKey());
            if (value.isEmpty() || !value.get().key().equals(e.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** A cell from a row of axis → value key; known values bring their fields along. */
    static Cell cellOf(MatrixSpec matrix, Map<String, String> row) {
        Map<String, AxisValue> values = new LinkedHashMap<>();
        for (Axis axis : matrix.axes()) {
            String key = row.get(axis.name());
            if (key != null) {
                values.put(axis.name(), axis.value(key).orElseGet(() -> valueOf(axis.name(), key)));
            }
        }
        row.forEach((axis, key) -> values.computeIfAbsent(axis, a -> valueOf(a, key)));
        return new Cell(values);
    }

    /** A scalar value; platforms get their os/arch/variant fields. */
    static AxisValue valueOf(String axis, String key) {
        return axis.equals(MatrixSpec.PLATFORM) ? Platforms.value(key) : new AxisValue(key, Map.of());
    }
}
