package dev.cutter.pkg;

import java.nio.file.Path;

/**
 * One file installed by a package: an absolute {@code path} on the target system, its contents
 * from {@code source}, its mode (e.g. 0755), and whether it is a configuration file the package
 * manager keeps when the user changed it (Debian conffiles, RPM %config(noreplace)).
 */
public record PackageFile(String path, Path source, int mode, boolean config) {
    public PackageFile {
        if (!path.startsWith("/") || path.contains("/../") || path.endsWith("/")) {
            throw new IllegalArgumentException("package file path must be absolute and normal: " + path);
        }
    }
}
