package dev.cutter.version;

import java.util.List;
import java.util.Objects;

/**
 * A release channel: the class of releases (stable, prerelease, rc, nightly, ...) that a version
 * belongs to, which decides how it is published. A version's channel is the first channel whose
 * {@code match} glob matches the version text, see {@link Channels#select(List, Version)}.
 *
 * @param name the channel name, e.g. {@code stable}
 * @param match a {@link Glob} matched against {@link Version#text()}, e.g. {@code *-rc*}
 * @param suffix text appended to the tags published for this channel; empty for none
 * @param floating whether releases on this channel may move floating tags such as {@code latest}
 *     (see {@link FloatingTags})
 * @param rolling whether each release on this channel replaces the channel's previous one, as
 *     nightly builds do, instead of being kept alongside it
 * @param targets the names of the publish targets this channel releases to: all of them when
 *     absent, none when empty (a channel that builds and checks but publishes nothing)
 */
public record Channel(String name, String match, String suffix, boolean floating, boolean rolling,
                      java.util.Optional<List<String>> targets) {

    /** A channel that releases to {@code targets}, or to every target when the list is empty. */
    public Channel(String name, String match, String suffix, boolean floating, boolean rolling, List<String> targets) {
        this(name, match, suffix, floating, rolling, targets.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(targets));
    }

    public Channel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(suffix, "suffix");
        targets = targets.map(List::copyOf);
        if (name.isBlank()) {
            throw new VersionException("a channel has an empty name; give every channel a name such as \"stable\"");
        }
    }

    /** The {@code match} pattern as a glob. */
    public Glob glob() {
        return new Glob(match);
    }

    /** Whether {@code version} belongs to this channel by its {@code match} pattern. */
    public boolean matches(Version version) {
        // build metadata does not take part in precedence, so it does not pick a channel either
        String text = version.text();
        int plus = text.indexOf('+');
        return glob().matches(plus < 0 ? text : text.substring(0, plus));
    }

    /** Whether this channel releases to {@code target}: every target when it lists none, else those listed. */
    public boolean releasesTo(String target) {
        return targets.map(listed -> listed.contains(target)).orElse(true);
    }
}
