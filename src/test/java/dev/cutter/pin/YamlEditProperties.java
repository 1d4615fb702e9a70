package dev.cutter.pin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random nested maps, rendered with comments and mixed quoting: editing one leaf changes only that leaf. */
class YamlEditProperties {
    /** A tree: values are String leaves or nested maps. A leaf's style: 0 plain (if it can be), 1 single, 2 double. */
    record Leaf(String value, int style) {}

    @Provide
    Arbitrary<String> values() {
        Arbitrary<String> nasty = Arbitraries.strings().withChars("ab1.:#'\"\\-?*&!|>%@,[]{}~ \t\n").ofMinLength(0).ofMaxLength(8);
        Arbitrary<String> versions = Arbitraries.of("v1.2.3", "1.10", "3.9.0", "yes", "no", "null", "~", "0x1F", "1e3",
                "3df6c412059f29127715c3fdbaa5e3dc8e8e8e1c", "1234567", "2024-01-01", "ü😀", "");
        return Arbitraries.oneOf(nasty, versions, Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12));
    }

    @Provide
    Arbitrary<Map<String, Object>> trees() {
        return tree(3);
    }

    private Arbitrary<Map<String, Object>> tree(int depth) {
        Arbitrary<String> keys = Arbitraries.oneOf(Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(6),
                Arbitraries.of("app.kubernetes.io/version", "with space", "1", "true", "a[0]"));
        Arbitrary<Object> leaf = Combinators.combine(values(), Arbitraries.integers().between(0, 2)).as(Leaf::new);
        Arbitrary<Object> value = depth == 0 ? leaf : Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, leaf), net.jqwik.api.Tuple.of(1, tree(depth - 1).map(m -> (Object) m)));
        return Arbitraries.maps(keys, value).ofMinSize(1).ofMaxSize(5).map(LinkedHashMap::new);
    }

    @Property(tries = 300)
    void editingOneLeafChangesOnlyThatLeaf(@ForAll("trees") Map<String, Object> tree, @ForAll("values") String value,
            @ForAll long seed, @ForAll boolean crlf) {
        StringBuilder out = new StringBuilder("# generated\n");
        render(tree, 0, out, new java.util.Random(seed));
        String text = crlf ? out.toString().replace("\n", "\r\n") : out.toString();
        List<List<String>> paths = new ArrayList<>();
        leaves(tree, new ArrayList<>(), paths);
        List<String> path = paths.get(Math.floorMod(seed, paths.size()));
        String dotted = String.join(".", path.stream().map(YamlText::escape).toList());
        Pin pin = new Pin.YamlKey(dotted);

        PinEdit.Result result = PinEdit.apply(text, pin, value);
        JsonNode expected = Golden.tree(text).deepCopy();
        JsonNode parent = expected;
        for (String key : path.subList(0, path.size() - 1)) {
            parent = parent.get(key);
        }
        ((ObjectNode) parent).set(path.getLast(), JsonNodeFactory.instance.textNode(value));
        assertThat(Golden.tree(result.text())).as("%s = %s in%n%s%n->%n%s", dotted, value, text, result.text()).isEqualTo(expected);
        if (result.changed()) {
            Golden.assertRevertsExactly(text, result, pin, value);
        }
    }

    private static void leaves(Map<String, Object> tree, List<String> prefix, List<List<String>> out) {
        tree.forEach((k, v) -> {
            List<String> p = new ArrayList<>(prefix);
            p.add(k);
            if (v instanceof Leaf) {
                out.add(p);
            } else {
                @SuppressWarnings("unchecked")
                Map<String, Object> child = (Map<String, Object>) v;
                leaves(child, p, out);
            }
        });
    }

    private static void render(Map<String, Object> tree, int indent, StringBuilder out, java.util.Random random) {
        String pad = " ".repeat(indent);
        for (Map.Entry<String, Object> e : tree.entrySet()) {
            if (random.nextInt(4) == 0) {
                out.append(pad).append("# a comment: with 'quotes' and #\n");
            }
            String key = YamlText.plainString(e.getKey(), false) ? e.getKey() : YamlText.doubleQuoted(e.getKey());
            if (e.getValue() instanceof Leaf leaf) {
                String v = leaf.value();
                String written = switch (leaf.style()) {
                    case 0 -> YamlText.plainString(v, false) ? v : YamlText.doubleQuoted(v);
                    case 1 -> v.chars().allMatch(c -> c >= 0x20 && c != 0x7f) ? "'" + v.replace("'", "''") + "'" : YamlText.doubleQuoted(v);
                    default -> YamlText.doubleQuoted(v);
                };
                out.append(pad).append(key).append(": ").append(written);
                if (random.nextBoolean()) {
                    out.append(" ".repeat(1 + random.nextInt(3))).append("# trailing");
                }
                out.append('\n');
            } else {
                @SuppressWarnings("unchecked")
                Map<String, Object> child = (Map<String, Object>) e.getValue();
                out.append(pad).append(key).append(":\n");
                render(child, indent + 2, out, random);
            }
        }
    }
}
