package dev.cutter.release;

import dev.cutter.content.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A file to publish with a release: where it is now and the digest it must have. Stores copy it
 * and check the digest while the bytes flow, so a file changed after it was built is refused
 * instead of published.
 *
 * @param name the file name in the release (no directories)
 * @param installOrder see {@link AssetInfo#installOrder()}
 */
public record Asset(String name, Path source, Digest digest, long size, Optional<Integer> installOrder) {

    public Asset {
        checkName(name);
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(installOrder, "installOrder");
        if (size < 0) {
            throw new IllegalArgumentException("asset " + name + ": size " + size + " is negative");
        }
    }

    /** An asset known by the current sha256 digest and size of {@code source}. */
    public static Asset of(String name, Path source, Optional<Integer> installOrder) throws IOException {
        return new Asset(name, source, Digest.sha256(source), Files.size(source), installOrder);
    }

    /** What the release records about this asset once published. */
    public AssetInfo info() {
        return new AssetInfo(name, digest, size, installOrder);
    }

    /** Asset names are plain file names in every store: no directories, nothing a path could escape with. */
    static void checkName(String name) {
        Objects.requireNonNull(name, "asset name");
        String problem = name.isEmpty() ? "it is empty"
                : name.equals(".") || name.equals("..") ? "it names a directory"
                : name.indexOf('/') >= 0 || name.indexOf('\\') >= 0 ? "it contains a path separator"
                : name.codePoints().anyMatch(Character::isISOControl) ? "it contains a control character"
                : null;
        if (problem != null) {
            throw new InvalidReleaseException("\"" + printable(name) + "\" is not a valid asset name: " + problem
                    + "; an asset is a single file name such as kontain.tar.gz");
        }
    }

    /** The text with control characters escaped, so an error message shows what was given. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
