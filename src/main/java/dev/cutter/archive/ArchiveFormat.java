package dev.cutter.archive;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The archive formats a release ships. */
public enum ArchiveFormat {
    TAR_GZ("tar.gz"), TAR_ZST("tar.zst"), ZIP("zip");

    private final String extension;

    ArchiveFormat(String extension) {
        this.extension = extension;
    }

    public String extension() {
        return extension;
    }

    public static ArchiveFormat of(String name) {
        for (ArchiveFormat f : values()) {
            if (f.extension.equals(name)) {
                return f;
            }
        }
        throw new ArchiveException("'" + name + "' is not an archive format; use "
                + Arrays.stream(values()).map(ArchiveFormat::extension).collect(Collectors.joining(", ")));
    }
}
