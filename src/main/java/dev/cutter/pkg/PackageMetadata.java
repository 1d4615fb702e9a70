package dev.cutter.pkg;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a .deb or .rpm says about itself, in the format's own words: {@code architecture} is
 * already the package manager's name (amd64 / x86_64), {@code version} already has '~' for a
 * pre-release. {@code sourceDate} is every file's mtime and the build time: same metadata and
 * files, same bytes.
 *
 * @param relations depends, recommends, suggests, conflicts, provides, replaces, breaks; each a list
 *     of "name", "name (>= 1.0)" entries, Debian's syntax (RPM writers translate)
 * @param scripts preinstall, postinstall, preremove, postremove → the script's file
 */
public record PackageMetadata(
        String name,
        String version,
        String release,
        String architecture,
        String summary,
        String description,
        Optional<String> maintainer,
        Optional<String> homepage,
        Optional<String> license,
        Optional<String> section,
        Map<String, List<String>> relations,
        List<PackageFile> files,
        Map<String, java.nio.file.Path> scripts,
        Instant sourceDate) {

    public static final List<String> RELATIONS =
            List.of("depends", "recommends", "suggests", "conflicts", "provides", "replaces", "breaks");
    public static final List<String> SCRIPTS = List.of("preinstall", "postinstall", "preremove", "postremove");

    public PackageMetadata {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(architecture, "architecture");
        relations = Map.copyOf(relations);
        files = List.copyOf(files);
        scripts = Map.copyOf(scripts);
        for (String key : relations.keySet()) {
            if (!RELATIONS.contains(key)) {
                throw new IllegalArgumentException("unknown relation " + key + "; one of " + RELATIONS);
            }
        }
        for (String key : scripts.keySet()) {
            if (!SCRIPTS.contains(key)) {
                throw new IllegalArgumentException("unknown script " + key + "; one of " + SCRIPTS);
            }
        }
    }

    public List<String> relation(String kind) {
        return relations.getOrDefault(kind, List.of());
    }
}
