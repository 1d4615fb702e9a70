package dev.cutter.spec;

import dev.cutter.spec.Spec.FileSpec;
import dev.cutter.spec.Spec.RepositoryRef;
import dev.cutter.spec.Spec.TagSpec;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link Section} reads its part of the file with: the spec's top level and the readers
 * every section shares, so an id, a matrix or a repository reference means the same in each.
 * Faults are reported through {@link Fields#problem}, never thrown.
 */
public final class SectionReader {
    private final FileLoader loader;
    private final Fields top;

    SectionReader(FileLoader loader, Fields top) {
        this.loader = loader;
        this.top = top;
    }

    /** The spec's top level: {@code top().list("builds", …)} reads a section's entries. */
    public Fields top() {
        return top;
    }

    /** The project directory, where relative paths of the spec resolve. */
    public Path directory() {
        return loader.directory();
    }

    /** An entry's {@code id}: required, letters, digits, '.', '_' and '-'. */
    public String id(Fields f) {
        return loader.id(f);
    }

    /** An entry's matrix: {@code platforms}, {@code matrix} axes, data rows, include and exclude rows. */
    public MatrixSpec matrix(Fields f) {
        return loader.matrix(f);
    }

    /** A {@code REGISTRY/path} reference to a registry declared under {@code registries:}. */
    public Optional<RepositoryRef> repositoryRef(Fields f, YamlNode node, String at) {
        return loader.repositoryRef(f, node, at);
    }

    /** A file selection: a glob, or {@code { src, dst, mode }}. */
    public FileSpec fileSpec(Fields owner, YamlNode node, String at) {
        return loader.fileSpec(owner, node, at);
    }

    /** An image tag: a template, or {@code { tag, floating }}. */
    public TagSpec tag(Fields owner, YamlNode node, String at) {
        return loader.tag(owner, node, at);
    }

    /** A map of absolute, normalized paths inside an image or package to project files. */
    public Map<String, Template> installPaths(Fields f, String key) {
        return loader.installPaths(f, key);
    }

    /** A package's maintainer scripts by name ({@code preinstall}, {@code postinstall}…). */
    public Map<String, Template> scripts(Fields f) {
        return loader.scripts(f);
    }

    /** A size in bytes written as a number or with KiB/MiB/GiB; 0 when absent. */
    public long size(Fields f, String key) {
        return loader.size(f, key);
    }
}
