package dev.cutter.archive;

import dev.cutter.content.ProjectPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Files picked for an archive or package: a path or a glob relative to the project ({@code *}
 * within a name, {@code **} across directories, {@code ?} one character). A glob's matches keep
 * their path below the glob's literal leading directories ({@code dist/km/**} puts
 * {@code dist/km/opt/kontain/bin/km} at {@code opt/kontain/bin/km}), under {@code dst} if given.
 */
public final class FileSelection {
    private FileSelection() {}

    public static List<ArchiveEntry> select(Path baseDir, String src, Optional<String> dst, Optional<String> mode) {
        Path base = baseDir.toAbsolutePath().normalize();
        String prefix = dst.map(d -> d.equals(".") ? "" : d.replaceAll("^\\./", "")).orElse("");
        Optional<Integer> fixedMode = mode.map(m -> Integer.parseInt(m, 8));
        Map<String, ArchiveEntry> entries = new TreeMap<>();
        boolean glob = src.contains("*") || src.contains("?") || src.contains("[");
        try {
            if (!glob) {
                Path file = inside(base, src);
                if (Files.isDirectory(file)) {
                    return select(baseDir, (src.endsWith("/") ? src : src + "/") + "**", dst, mode);
                }
                if (!Files.isRegularFile(file)) {
                    throw new ArchiveException("'" + src + "' matches no file in " + base + "; check the path or the build's outputs");
                }
                String name = dst.isPresent() && !prefix.isEmpty() && !prefix.endsWith("/") ? prefix
                        : join(prefix, file.getFileName().toString());
                add(entries, new ArchiveEntry(name, file, fixedMode.orElseGet(() -> modeOf(file))));
                return List.copyOf(entries.values());
            }
            String[] segments = src.split("/");
            int literal = 0;
            while (literal < segments.length - 1 && !segments[literal].matches(".*[*?\\[].*")) {
                literal++;
            }
            String literalPart = String.join("/", java.util.Arrays.copyOfRange(segments, 0, literal));
            ProjectPaths.problem(src).ifPresent(p -> {
                throw new ArchiveException(p);
            });
            Path root = inside(base, literalPart.isEmpty() ? "." : literalPart);
            String pattern = String.join("/", java.util.Arrays.copyOfRange(segments, literal, segments.length));
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            PathMatcher nested = pattern.startsWith("**/") ? FileSystems.getDefault().getPathMatcher("glob:" + pattern.substring(3)) : null;
            if (Files.isDirectory(root)) {
                try (Stream<Path> walk = Files.walk(root)) {
                    for (Path file : walk.sorted().toList()) {
                        if (Files.isDirectory(file)) {
                            continue;
                        }
                        Path relative = root.relativize(file);
                        if (matcher.matches(relative) || (nested != null && nested.matches(relative))) {
                            if (!ProjectPaths.within(base, file)) {
                                throw new ArchiveException("'" + src + "' matches " + base.relativize(file)
                                        + ", a symbolic link that leads outside the project; archive files inside " + base);
                            }
                            Path real = Files.isSymbolicLink(file) ? file.toRealPath() : file;
                            if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
                                continue;
                            }
                            add(entries, new ArchiveEntry(join(prefix, relative.toString().replace('\\', '/')), real,
                                    fixedMode.orElseGet(() -> modeOf(real))));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (entries.isEmpty()) {
            throw new ArchiveException("'" + src + "' matches no file in " + base + "; check the path or the build's outputs");
        }
        return List.copyOf(entries.values());
    }

    /** Several selections into one archive: a name chosen twice from two different files is an error. */
    public static List<ArchiveEntry> merge(List<List<ArchiveEntry>> selections) {
        Map<String, ArchiveEntry> entries = new TreeMap<>();
        selections.forEach(list -> list.forEach(e -> add(entries, e)));
        return List.copyOf(entries.values());
    }

    private static void add(Map<String, ArchiveEntry> entries, ArchiveEntry entry) {
        ArchiveEntry previous = entries.putIfAbsent(entry.name(), entry);
        if (previous != null && !previous.source().equals(entry.source())) {
            throw new ArchiveException("two files would be " + entry.name() + " in the archive: " + previous.source() + " and "
                    + entry.source() + "; give one of them another dst");
        }
    }

    /** {@code path} in the project, by the rule images and packages share ({@link ProjectPaths}). */
    private static Path inside(Path base, String path) {
        try {
            return ProjectPaths.resolve(base, path);
        } catch (ProjectPaths.OutsideProjectException e) {
            throw new ArchiveException(e.getMessage() + " (project " + base + ")");
        }
    }

    private static String join(String prefix, String name) {
        if (prefix.isEmpty()) {
            return name;
        }
        return prefix.endsWith("/") ? prefix + name : prefix + "/" + name;
    }

    /** 0755 for files anyone may execute, 0644 otherwise: owners and groups do not travel. */
    static int modeOf(Path file) {
        return Files.isExecutable(file) ? 0755 : 0644;
    }

    static List<String> names(List<ArchiveEntry> entries) {
        List<String> out = new ArrayList<>();
        entries.forEach(e -> out.add(e.name()));
        return out;
    }
}
