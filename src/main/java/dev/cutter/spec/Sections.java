package dev.cutter.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The capability sections of one spec, each with its loaded value, in the order of the list of
 * capabilities: a typed, immutable container (a value is only ever put with its own section).
 */
public final class Sections {
    private final Map<Section<?>, Object> values;

    private Sections(Map<Section<?>, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** Builds the sections of a spec in order. */
    public static final class Builder {
        private final Map<Section<?>, Object> values = new LinkedHashMap<>();

        public <T> Builder put(Section<T> section, T value) {
            values.put(section, value);
            return this;
        }

        public Sections build() {
            return new Sections(new LinkedHashMap<>(values));
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The value of {@code section}.
     *
     * @throws IllegalStateException when the spec was loaded without it: a wiring fault, not a user's
     */
    @SuppressWarnings("unchecked") // put(section, value) is the only way in, so a section's value has its type
    public <T> T get(Section<T> section) {
        Object value = values.get(section);
        if (value == null) {
            throw new IllegalStateException("the spec was loaded without the section '" + section.key() + "'");
        }
        return (T) value;
    }

    /** The sections in order. */
    public List<Section<?>> list() {
        return List.copyOf(values.keySet());
    }

    /** Calls {@code visitor} with each section and its value, in order, keeping their types together. */
    public void forEach(Visitor visitor) {
        values.keySet().forEach(section -> visit(section, visitor));
    }

    private <T> void visit(Section<T> section, Visitor visitor) {
        visitor.visit(section, get(section));
    }

    /** Receives a section with its own value. */
    public interface Visitor {
        <T> void visit(Section<T> section, T value);
    }
}
