package dev.cutter.release;

import dev.cutter.content.Digest;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * A file of a published release, known by its digest.
 *
 * @param installOrder where the asset comes when a user installs the release's tarballs one after
 *     another (KM's {@code kontain.tar.gz} is 1, the runtime environments 2); empty when the order
 *     does not matter
 */
public record AssetInfo(String name, Digest digest, long size, Optional<Integer> installOrder) {

    /** Assets with an install order first, by that order; then the others; ties by name. */
    public static final Comparator<AssetInfo> INSTALL_ORDER = Comparator
            .comparing((AssetInfo a) -> a.installOrder().orElse(null), Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(AssetInfo::name);

    public AssetInfo {
        Asset.checkName(name);
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(installOrder, "installOrder");
        if (size < 0) {
            throw new IllegalArgumentException("asset " + name + ": size " + size + " is negative");
        }
    }
}
