package dev.cutter.release;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A release to publish: its metadata, its notes and the files that make it up.
 *
 * @param name the release's name in the store, e.g. {@code v0.9-beta}
 * @param notes the release notes (Markdown), often the changelog since the previous tag
 * @param prerelease whether users should see it as a pre-release
 * @param draft whether a forge should leave the release unpublished for a person to publish;
 *     stores without drafts refuse it rather than publish what was meant to stay hidden
 * @param commit the commit the release is of, recorded with it
 * @param target what a forge makes the tag from when its repository has no such tag (a branch,
 *     tag or commit of that repository); empty for its default branch. A release published into
 *     another repository than the source's must not name the source's commit: that repository
 *     does not have it
 */
public record ReleaseDraft(String name, String project, String version, String channel, String tag,
        Optional<String> commit, Instant created, List<Asset> assets, String notes, boolean prerelease,
        boolean draft, Optional<String> target) {

    /** A release whose store makes a missing tag from its commit: a store in the source repository. */
    public ReleaseDraft(String name, String project, String version, String channel, String tag,
            Optional<String> commit, Instant created, List<Asset> assets, String notes, boolean prerelease, boolean draft) {
        this(name, project, version, channel, tag, commit, created, assets, notes, prerelease, draft, commit);
    }

    public ReleaseDraft {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(commit, "commit");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(notes, "notes");
        assets = List.copyOf(assets);
        Set<String> names = new HashSet<>();
        for (Asset asset : assets) {
            if (!names.add(asset.name())) {
                throw new InvalidReleaseException("release " + name + " has two assets named " + asset.name()
                        + " (from " + assets.stream().filter(a -> a.name().equals(asset.name())).map(Asset::source).toList()
                        + "); give them different names");
            }
        }
    }

    /** The release as the store will record it. */
    public ReleaseInfo info() {
        return new ReleaseInfo(name, project, version, channel, tag, commit, created,
                assets.stream().map(Asset::info).toList(), prerelease);
    }
}
