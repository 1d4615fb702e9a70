package dev.cutter.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.spec.MatrixSpec.Axis;
import dev.cutter.spec.MatrixSpec.AxisValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.IntRange;

/** Laws of matrix expansion and of the template syntax, for any shape. */
class MatrixPropertiesTest {

    /** Axes a0, a1… with the given number of values v0, v1… each. */
    private static MatrixSpec product(List<Integer> sizes, List<Map<String, String>> exclude) {
        List<Axis> axes = new ArrayList<>();
        for (int i = 0; i < sizes.size(); i++) {
            axes.add(new Axis("a" + i, IntStream.range(0, sizes.get(i))
                    .mapToObj(v -> new AxisValue("v" + v, Map.of("n", String.valueOf(v)))).toList()));
        }
        return new MatrixSpec(List.copyOf(axes), List.of(), exclude, List.of(), Optional.empty());
    }

    @Provide
    Arbitrary<List<Integer>> axisSizes() {
        return Arbitraries.integers().between(1, 5).list().ofMinSize(0).ofMaxSize(4);
    }

    @Property(tries = 100)
    void theProductHasTheProductOfTheAxisSizesOfDistinctCells(@ForAll("axisSizes") List<Integer> sizes) {
        List<Cell> cells = Matrix.expand(product(sizes, List.of()));

        int expected = sizes.stream().reduce(1, (a, b) -> a * b);
        assertThat(cells).hasSize(expected).doesNotHaveDuplicates();
        assertThat(cells).allSatisfy(c -> assertThat(c.labels()).hasSize(sizes.size()));
        assertThat(cells.stream().map(Cell::slug).distinct().count()).isEqualTo(expected);
    }

    @Property(tries = 100)
    void excludingOneValueOfAnAxisRemovesExactlyItsShare(@ForAll("axisSizes") List<Integer> sizes,
            @ForAll @IntRange(min = 0, max = 3) int axis, @ForAll @IntRange(min = 0, max = 4) int value) {
        if (sizes.isEmpty()) {
            return;
        }
        int a = axis % sizes.size();
        int v = value % sizes.get(a);
        List<Cell> all = Matrix.expand(product(sizes, List.of()));

        List<Cell> kept = Matrix.expand(product(sizes, List.of(Map.of("a" + a, "v" + v))));

        assertThat(kept).hasSize(all.size() - all.size() / sizes.get(a))
                .noneSatisfy(c -> assertThat(c.lookup("a" + a)).contains("v" + v));
        assertThat(kept).isEqualTo(all.stream().filter(c -> !c.lookup("a" + a).orElseThrow().equals("v" + v)).toList());
    }

    @Property(tries = 100)
    void onlyKeepsExactlyTheCellsWithTheChosenValue(@ForAll("axisSizes") List<Integer> sizes,
            @ForAll @IntRange(min = 0, max = 4) int value) {
        if (sizes.isEmpty()) {
            return;
        }
        int v = value % sizes.get(0);
        MatrixSpec matrix = product(sizes, List.of());

        List<Cell> only = Matrix.expand(matrix, Map.of("a0", List.of("v" + v)));

        assertThat(only).isEqualTo(Matrix.expand(matrix).stream()
                .filter(c -> c.lookup("a0").orElseThrow().equals("v" + v)).toList());
    }

    @Property(tries = 200)
    void theCountWithoutExpandingIsTheNumberOfCellsExpansionMakes(@ForAll("axisSizes") List<Integer> sizes,
            @ForAll @IntRange(min = 0, max = 3) int axis, @ForAll @IntRange(min = 0, max = 4) int value,
            @ForAll @IntRange(min = 0, max = 4) int other) {
        List<Map<String, String>> exclude = new ArrayList<>();
        if (!sizes.isEmpty()) {
            int a = axis % sizes.size();
            exclude.add(Map.of("a" + a, "v" + value % sizes.get(a)));
            int b = (axis + 1) % sizes.size();
            exclude.add(b == a ? Map.of("a" + a, "v" + other % sizes.get(a))
                    : Map.of("a" + a, "v" + other % sizes.get(a), "a" + b, "v" + value % sizes.get(b)));
        }
        MatrixSpec matrix = product(sizes, exclude);

        assertThat(Matrix.count(matrix)).isEqualTo(Matrix.expand(matrix).size());
    }

    @Property(tries = 200)
    void doublingEveryBraceMakesAnyTextLiteral(@ForAll @CharRange(from = ' ', to = '~') String text) {
        String plain = text.replace("$", "");
        String escaped = plain.replace("{", "{{").replace("}", "}}");

        Template template = Template.parse(escaped, new Location(1, 1), "x");

        assertThat(template.placeholders()).isEmpty();
        assertThat(template.render(name -> Optional.empty())).isEqualTo(plain);
    }
}
