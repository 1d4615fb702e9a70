package dev.cutter.release;

import dev.cutter.version.LooseVersion;
import dev.cutter.version.SemVer;
import dev.cutter.version.Version;
import dev.cutter.version.VersionException;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A published release as a store records it. Its assets are always in
 * {@linkplain AssetInfo#INSTALL_ORDER install order}, whatever order they were given in.
 *
 * @param name the release's name in its store, e.g. {@code v0.9-beta}
 * @param commit the commit the release was built from, when known
 * @param created when the release was published first; a release republished unchanged keeps it
 */
public record ReleaseInfo(String name, String project, String version, String channel, String tag,
        Optional<String> commit, Instant created, List<AssetInfo> assets, boolean prerelease) {

    /** Newest first: by creation time, then by version precedence, then by name. */
    public static final Comparator<ReleaseInfo> NEWEST_FIRST = Comparator
            .comparing(ReleaseInfo::created)
            .thenComparing(ReleaseInfo::version, ReleaseInfo::compareVersions)
            .thenComparing(ReleaseInfo::name)
            .reversed();

    public ReleaseInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(commit, "commit");
        Objects.requireNonNull(created, "created");
        assets = assets.stream().sorted(AssetInfo.INSTALL_ORDER).toList();
        Set<String> names = new HashSet<>();
        for (AssetInfo asset : assets) {
            if (!names.add(asset.name())) {
                throw new InvalidReleaseException("release " + name + " has two assets named " + asset.name());
            }
        }
    }

    /** The asset called {@code name}, if the release has one. */
    public Optional<AssetInfo> asset(String name) {
        return assets.stream().filter(a -> a.name().equals(name)).findFirst();
    }

    /**
     * Versions by precedence where both parse (semver or loose, DESIGN §4); a version that parses
     * ranks above one that does not; text order otherwise, so the order is total.
     */
    private static int compareVersions(String left, String right) {
        Optional<Version> l = parse(left);
        Optional<Version> r = parse(right);
        if (l.isPresent() && r.isPresent()) {
            int byPrecedence = l.get().compareTo(r.get());
            return byPrecedence != 0 ? byPrecedence : left.compareTo(right);
        }
        if (l.isPresent() != r.isPresent()) {
            return l.isPresent() ? 1 : -1;
        }
        return left.compareTo(right);
    }

    private static Optional<Version> parse(String text) {
        try {
            return Optional.of(SemVer.parse(text));
        } catch (VersionException notSemver) {
            try {
                return Optional.of(LooseVersion.parse(text));
            } catch (VersionException notLoose) {
                return Optional.empty();
            }
        }
    }
}
