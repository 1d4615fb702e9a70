package dev.cutter.spec;

import dev.cutter.spec.Spec.FileSpec;
import dev.cutter.spec.Spec.RepositoryRef;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * What a {@link Section} checks its loaded value with, once every section is read: the whole
 * spec (to look up what its references name), placeholders against their scope, references,
 * unique ids, dependency cycles, and the files and output names of every cell. Faults are
 * collected; a check never throws for a user's mistake.
 */
public final class SectionChecks {
    private final SpecValidator validator;

    SectionChecks(SpecValidator validator) {
        this.validator = validator;
    }

    /**
     * One entry's matrix and the jobs it makes, counted without expanding it.
     *
     * @param at the entry's field path, e.g. {@code builds[0]}
     */
    public record MatrixEntry(String at, Location location, MatrixSpec matrix, long jobs) {}

    /** The spec being checked: every section is read. */
    public Spec spec() {
        return validator.spec();
    }

    /** Reports a fault at {@code location} in field {@code at}. */
    public void problem(Location location, String at, String message) {
        validator.problem(location, at, message);
    }

    /** The placeholders the templates of an entry with {@code matrix} may name, at {@code at}. */
    public PlaceholderScope scope(MatrixSpec matrix, String at) {
        return validator.scope(matrix, at);
    }

    /**
     * Checks every placeholder of {@code template} exists in {@code scope}; {@code secretsAllowed}
     * for fields resolved only at the moment of use (credentials, keys, env, webhooks).
     */
    public void check(Template template, PlaceholderScope scope, boolean secretsAllowed) {
        validator.check(template, scope, secretsAllowed);
    }

    /** The one of {@code candidates} closest to {@code word}, as the loader's "did you mean" says it; null when none is close. */
    public String suggestion(String word, java.util.Collection<String> candidates) {
        return Problems.suggestion(word, candidates);
    }

    /** A file selection's source and destination templates. */
    public void files(FileSpec file, PlaceholderScope scope) {
        validator.files(file, scope);
    }

    /** A {@code REGISTRY/path} reference: a declared registry, a path whose placeholders exist. */
    public void repository(RepositoryRef ref, PlaceholderScope scope, String at) {
        validator.repository(ref, scope, at);
    }

    /** Each of {@code names} is one of {@code known} (the {@code what} of this spec). */
    public void references(List<String> names, Set<String> known, String what, String at, Location location) {
        validator.references(names, known, what, at, location);
    }

    /** The ids of a section's entries, each reported once when given twice. */
    public <T> Set<String> unique(String section, List<T> items, Function<T, String> id, Function<T, Location> location) {
        return validator.unique(section, items, id, location);
    }

    /** Reports the first dependency cycle among a section's entries. */
    public <T> void cycles(String section, List<T> items, Function<T, String> id, Function<T, List<String>> needs,
            Function<T, Location> location) {
        validator.cycles(section, items, id, needs, location);
    }

    /** The directory of the spec file: the project, which relative paths are read from. */
    public java.nio.file.Path projectDirectory() {
        return validator.directory();
    }

    /** A file read from the project stays in it, by its letters and on disk, in {@code cell}. */
    public void projectFile(Template template, Cell cell) {
        validator.projectFile(template, cell);
    }

    /**
     * {@code name} (as the cell renders it, release placeholders left as written) is written by one
     * job only; {@code what} names the file for the message ("archive", ".deb package"…).
     */
    public void uniqueOutput(String name, String at, Cell cell, Template template, String what) {
        validator.unique(name, at, cell, template, what);
    }

    /**
     * {@code template} as {@code cell} renders it, {@code {project}} and {@code {vars.…}} (their
     * defaults) filled in; other placeholders become {@code filler}, or stay as written when null.
     */
    public String sample(Template template, Cell cell, String filler) {
        return validator.sample(template, cell, filler);
    }

    /** Whether {@code key} is told for the first time (a fault told once, not once per cell). */
    public boolean firstTime(String key) {
        return validator.reported.add(key);
    }
}
