package dev.cutter.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the loader asks of a spec, recorded as it reads: the keys each map it opens may have (a
 * key is recorded when it is asked for, whether the file has it or not, exactly as {@link
 * Fields#finish()} decides what is unknown), which are required, and what form each value is read
 * in (a single value, a boolean, a whole number, one of a list of words, a list, a map of named
 * values, a map of keys). Paths are kept with list positions and map names made general
 * ({@code builds[]}, {@code vars.*}), so every entry of a list adds to one shape. {@link SpecSchema}
 * turns this into a JSON Schema.
 */
final class KeyRecorder {
    /** A form a value is read in at a path. */
    enum Form { SCALAR, BOOLEAN, INTEGER, ENUM, OBJECT, OPEN_OBJECT, LIST, MAP }

    /** What is known of one path. */
    static final class Shape {
        final Set<Form> forms = new LinkedHashSet<>();
        final Set<String> keys = new LinkedHashSet<>();
        final Set<String> required = new LinkedHashSet<>();
        final Set<String> allowed = new LinkedHashSet<>();
        int minimum = Integer.MIN_VALUE;
    }

    private final Map<String, Shape> shapes = new LinkedHashMap<>();
    /** A concrete path ({@code builds[2]}, {@code vars.GOFLAGS}) and the general one it stands for. */
    private final Map<String, String> aliases = new LinkedHashMap<>();

    /** The general path of {@code concrete}: its longest known prefix replaced by what it stands for. */
    String general(String concrete) {
        String best = null;
        for (String prefix : aliases.keySet()) {
            if ((concrete.equals(prefix) || concrete.startsWith(prefix + ".") || concrete.startsWith(prefix + "["))
                    && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        return best == null ? concrete : aliases.get(best) + concrete.substring(best.length());
    }

    Shape shape(String concrete) {
        return shapes.computeIfAbsent(general(concrete), p -> new Shape());
    }

    /** The shape of a general path, if anything was recorded there. */
    Shape at(String general) {
        return shapes.get(general);
    }

    void form(String at, Form form) {
        shape(at).forms.add(form);
    }

    void key(String object, String key) {
        shape(object).keys.add(key);
    }

    void required(String object, String key) {
        shape(object).required.add(key);
    }

    void choice(String at, List<String> allowed) {
        Shape shape = shape(at);
        shape.forms.add(Form.ENUM);
        shape.allowed.addAll(allowed);
    }

    void minimum(String at, int minimum) {
        shape(at).minimum = minimum;
    }

    /** {@code item} is an item of the list at {@code list}. */
    void item(String list, String item) {
        form(list, Form.LIST);
        aliases.put(item, general(list) + "[]");
    }

    /** {@code entry} is a named value of the map at {@code map}. */
    void entry(String map, String entry) {
        form(map, Form.MAP);
        aliases.put(entry, general(map) + ".*");
    }

    /** Every general path recorded, for tests and the schema. */
    List<String> paths() {
        return new ArrayList<>(shapes.keySet());
    }
}
