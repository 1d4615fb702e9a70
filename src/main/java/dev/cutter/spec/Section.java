package dev.cutter.spec;

import java.util.List;
import java.util.Map;

/**
 * A top-level section of {@code cutter.yaml} that a capability owns ({@code builds:},
 * {@code images:}, {@code notify:}…): its key, how it is read, and what is checked once every
 * section is read. {@code T} is what it loads into, its records; a {@link Spec} holds one value
 * per section, the section's empty value when the file leaves it out.
 *
 * <p>The sections a loader knows are given to it ({@link SpecLoader#SpecLoader(List)}), in the
 * order of the list of capabilities; nothing in this package names a capability's section.
 */
public interface Section<T> {
    /** The top-level key: {@code builds}, {@code images}… */
    String key();

    /** Reads the section from the spec's top level ({@code reader.top()}); faults go to the reader, never thrown. */
    T read(SectionReader reader);

    /** {@code spec}'s value of this section: its records, or the empty value when the file leaves it out. */
    default T of(Spec spec) {
        return spec.sections().get(this);
    }

    /** Checks references and placeholders, once every section is read. */
    void check(T value, SectionChecks checks);

    /**
     * The entries whose matrices make jobs and how many each makes, counted without expanding
     * them, for {@code execution.max-jobs}.
     */
    default List<SectionChecks.MatrixEntry> matrices(T value) {
        return List.of();
    }

    /**
     * Checks on the files the section reads from the project and the names it writes into
     * {@code dist/}, in every cell; made only when the matrices fit {@code execution.max-jobs}.
     */
    default void checkFiles(T value, SectionChecks checks) {}

    /** The names a channel's {@code targets:} may give that this section declares (a release's id…). */
    default List<String> targets(T value) {
        return List.of();
    }

    /** The ids {@code --only KIND=ID} picks among, by the kind of job they narrow. */
    default Map<String, List<String>> selectable(T value) {
        return Map.of();
    }
}
