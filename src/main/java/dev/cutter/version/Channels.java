package dev.cutter.version;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** Chooses the channel of a version from an ordered list of channels. */
public final class Channels {

    private Channels() {
    }

    /**
     * The first channel whose {@code match} glob matches {@code version.text()}.
     *
     * <p>Order matters: list specific channels (e.g. {@code rc} matching {@code *-rc*}) before
     * catch-all ones (e.g. {@code stable} matching {@code *}).
     *
     * @throws VersionException listing the channels and their patterns when none matches
     */
    public static Channel select(List<Channel> channels, Version version) {
        Objects.requireNonNull(channels, "channels");
        Objects.requireNonNull(version, "version");
        for (Channel channel : channels) {
            if (channel.matches(version)) {
                return channel;
            }
        }
        if (channels.isEmpty()) {
            throw new VersionException("version " + version + " matches no channel because no channels are"
                    + " configured; add one, e.g. a \"stable\" channel matching \"*\"");
        }
        throw new VersionException("version " + version + " matches no channel; the channels are "
                + channels.stream()
                        .map(channel -> channel.name() + " (\"" + channel.match() + "\")")
                        .collect(Collectors.joining(", "))
                + "; add a channel that matches it, e.g. one matching \"*\" last");
    }

    /**
     * The channels used when a project configures none: {@code prerelease} for any version with a
     * '-' (a semver prerelease or a loose label), which never moves floating tags, then {@code
     * stable} for everything else.
     */
    public static List<Channel> defaults() {
        return List.of(
                new Channel("prerelease", "*-*", "", false, false, List.of()),
                new Channel("stable", "*", "", true, false, List.of()));
    }
}
