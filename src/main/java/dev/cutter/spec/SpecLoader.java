package dev.cutter.spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads {@code cutter.yaml} into a {@link Spec}: the core sections (project, version, vars,
 * channels, registries, components, triggers, execution) and the sections of the capabilities it
 * is given, in their order. Types and keys are checked as they are read, references and
 * placeholders after ({@link SpecValidator}). All faults are collected and thrown together as a
 * {@link SpecException}; nothing is half-loaded.
 */
public final class SpecLoader {
    private final List<Section<?>> sections;
    private final MatrixGenerator generator;

    /** A loader that knows {@code sections}, the capabilities' sections in the order of their list. */
    public SpecLoader(List<Section<?>> sections) {
        this(sections, MatrixGenerator.NONE);
    }

    /** A loader that knows {@code sections} and runs a matrix's {@code generate:} command with {@code generator}. */
    public SpecLoader(List<Section<?>> sections, MatrixGenerator generator) {
        this.sections = List.copyOf(sections);
        this.generator = generator;
        List<String> keys = new ArrayList<>();
        for (Section<?> section : sections) {
            if (keys.contains(section.key()) || FileLoader.CORE_BEFORE.contains(section.key())
                    || FileLoader.CORE_AFTER.contains(section.key())) {
                throw new IllegalArgumentException("two sections have the key '" + section.key() + "'");
            }
            keys.add(section.key());
        }
    }

    /** Loads and validates {@code file}. */
    public Spec load(Path file) {
        return new FileLoader(file, sections, generator).load(file);
    }

    /** Loads and validates {@code text} as if it were {@code file} (relative paths resolve beside it). */
    public Spec load(Path file, String text) {
        return new FileLoader(file, sections, generator).load(text);
    }

    /**
     * Reads {@code text} as if it were {@code file}, telling {@code recorder} every key the loader
     * asks for; the spec's own faults do not matter here (a probe's files need not exist).
     */
    void record(Path file, String text, KeyRecorder recorder) {
        try {
            new FileLoader(file, sections, MatrixGenerator.NONE, recorder).load(text);
        } catch (SpecException e) {
            // recorded all the same: the loader reads on past faults
        }
    }

    /** Every top-level key a spec may have, in the order they are read. */
    public List<String> keys() {
        List<String> keys = new ArrayList<>(FileLoader.CORE_BEFORE);
        sections.forEach(s -> keys.add(s.key()));
        keys.addAll(FileLoader.CORE_AFTER);
        return List.copyOf(keys);
    }
}
