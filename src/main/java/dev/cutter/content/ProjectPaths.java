package dev.cutter.content;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The one rule for files a spec names in its project (archive, image and package sources,
 * matrix data files): a path relative to the project that stays inside it, by its letters
 * ({@code ..}, absolute paths) and on disk (a symbolic link that leads out). The spec loader
 * checks it when the spec is validated; the jobs check it again on the files they read, since a
 * file made by a build did not exist at validation.
 */
public final class ProjectPaths {
    private ProjectPaths() {}

    /** A path that leads out of its project: the message says which and what to write. */
    public static final class OutsideProjectException extends RuntimeException {
        public OutsideProjectException(String message) {
            super(message);
        }
    }

    /**
     * Why {@code path}, as written, cannot name a file inside the project, or empty when it can.
     * Reads nothing: {@code ..} may not climb above the project, and the path is relative.
     */
    public static Optional<String> problem(String path) {
        if (path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return Optional.of("'" + printable(path) + "' holds a control character; write a plain path");
        }
        if (path.startsWith("/") || path.startsWith("\\") || path.matches("[A-Za-z]:[\\\\/].*") || path.startsWith("~")) {
            return Optional.of("'" + path + "' is an absolute path; write a path relative to the project directory");
        }
        int depth = 0;
        for (String segment : path.split("[/\\\\]")) {
            if (segment.equals("..")) {
                depth--;
                if (depth < 0) {
                    return Optional.of("'" + path + "' leads outside the project with '..'; only files inside the"
                            + " project directory may be read");
                }
            } else if (!segment.isEmpty() && !segment.equals(".")) {
                depth++;
            }
        }
        return Optional.empty();
    }

    /**
     * {@code path} resolved in {@code root}. When something exists there, its real path (links
     * followed) must lie inside {@code root}'s real path too. A missing file is returned as
     * resolved, for the caller to report.
     *
     * @throws OutsideProjectException when the path leads out of the project
     */
    public static Path resolve(Path root, String path) {
        problem(path).ifPresent(p -> {
            throw new OutsideProjectException(p);
        });
        Path resolved = root.resolve(path).normalize();
        if (!within(root, resolved)) {
            throw new OutsideProjectException("'" + path + "' leads outside the project through a symbolic link;"
                    + " only files inside the project directory may be read");
        }
        return resolved;
    }

    /**
     * Whether {@code file}, links followed, lies inside {@code root}. Of a file that does not
     * exist yet, its nearest existing directory is followed: a link there could lead out too.
     */
    public static boolean within(Path root, Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        Path top = root.toAbsolutePath().normalize();
        if (!absolute.startsWith(top)) {
            return false;
        }
        Path existing = absolute;
        while (existing != null && !existing.equals(top) && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null || existing.equals(top)) {
            return true;
        }
        try {
            return !Files.exists(top) || existing.toRealPath().startsWith(top.toRealPath());
        } catch (IOException e) {
            return false; // a dangling or looping link leads nowhere inside the project
        }
    }

    /**
     * Why {@code name} cannot be the name of one file written in an output directory
     * ({@code dist/}): it must be a plain name, no directory and no way out.
     */
    public static Optional<String> fileNameProblem(String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            return Optional.of("'" + name + "' is not a file name; write e.g. my-app-{version}.tar.gz");
        }
        if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return Optional.of("'" + printable(name) + "' holds a control character; write a plain file name");
        }
        if (name.contains("/") || name.contains("\\")) {
            return Optional.of("'" + name + "' is not a plain file name ('/' would write into another directory, or out"
                    + " of dist/); write e.g. my-app-{version}-{platform.os}-{platform.arch}.tar.gz");
        }
        return Optional.empty();
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> out.append(c < 0x20 || c == 0x7f ? String.format("\\u%04X", c) : Character.toString(c)));
        return out.toString();
    }
}
