package dev.cutter.archive;

import java.nio.file.Path;

/**
 * A regular file put into an archive at {@code name} (relative, forward slashes) with a unix
 * mode; a name ending in '/' with no source is a directory.
 */
public record ArchiveEntry(String name, Path source, int mode) {
    public ArchiveEntry {
        if (name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.equals("..") || name.startsWith("../")
                || name.contains("/../") || name.endsWith("/..")) {
            throw new ArchiveException("'" + name + "' cannot be a name inside an archive: use a relative path without '..'");
        }
    }
}
