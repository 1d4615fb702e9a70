package dev.cutter.pkg;

import java.io.IOException;

/**
 * A repository already holds this package — the same name, version and architecture — with other
 * bytes. Clients may have installed or cached the published one, so it is never replaced (law 3):
 * the new build needs a new version or release number. Nothing was changed.
 */
public final class PackageExistsException extends IOException {
    /**
     * @param file the package being added, as the user named it
     * @param where the repository (and distribution/component) that holds the published one
     * @param pkg the package as its format writes it, e.g. {@code hello 1.0 (amd64)} or {@code hello-1.0-1.x86_64}
     */
    public PackageExistsException(String file, String where, String pkg, String publishedSha256, String newSha256) {
        super(file + ": " + where + " already holds " + pkg + " with other contents (published SHA256 " + publishedSha256
                + " ≠ this file's " + newSha256 + "); a published version never changes: build it again under a new"
                + " version or release number");
    }
}
