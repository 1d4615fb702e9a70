package dev.cutter.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelsTest {

    private static final Channel RC = new Channel("rc", "*-rc*", "", false, false, List.of());
    private static final Channel NIGHTLY = new Channel("nightly", "*-nightly*", "-nightly", false, true,
            List.of("docker"));
    private static final Channel STABLE = new Channel("stable", "*", "", true, false, List.of());

    @Test
    void firstMatchingChannelWins() {
        List<Channel> channels = List.of(RC, STABLE);

        assertThat(Channels.select(channels, SemVer.parse("1.7.8-rc1"))).isEqualTo(RC);
        assertThat(Channels.select(channels, SemVer.parse("1.7.8"))).isEqualTo(STABLE);
    }

    @Test
    void catchAllListedFirstShadowsLaterChannels() {
        assertThat(Channels.select(List.of(STABLE, RC), SemVer.parse("1.7.8-rc1"))).isEqualTo(STABLE);
    }

    @Test
    void matchesAgainstTheVersionTextOfEitherScheme() {
        List<Channel> channels = List.of(NIGHTLY, RC, STABLE);

        assertThat(Channels.select(channels, LooseVersion.parse("0.10-nightly.3"))).isEqualTo(NIGHTLY);
        assertThat(Channels.select(channels, LooseVersion.parse("0.10-rc2"))).isEqualTo(RC);
        assertThat(Channels.select(channels, LooseVersion.parse("0.10"))).isEqualTo(STABLE);
    }

    @Test
    void defaultsSendPrereleasesToANonFloatingChannelAndTheRestToStable() {
        List<Channel> defaults = Channels.defaults();

        assertThat(defaults).containsExactly(
                new Channel("prerelease", "*-*", "", false, false, List.of()),
                new Channel("stable", "*", "", true, false, List.of()));
        assertThat(Channels.select(defaults, SemVer.parse("1.2.3")).name()).isEqualTo("stable");
        assertThat(Channels.select(defaults, SemVer.parse("1.2.3-beta.1")).name()).isEqualTo("prerelease");
        assertThat(Channels.select(defaults, LooseVersion.parse("0.10-daily")).name()).isEqualTo("prerelease");
        assertThat(Channels.select(defaults, LooseVersion.parse("2")).name()).isEqualTo("stable");
    }

    @Test
    void noMatchingChannelListsTheChannelsAndTheirPatterns() {
        assertThatThrownBy(() -> Channels.select(List.of(RC, NIGHTLY), SemVer.parse("1.2.3")))
                .isInstanceOf(VersionException.class)
                .hasMessage("version 1.2.3 matches no channel; the channels are rc (\"*-rc*\"), nightly"
                        + " (\"*-nightly*\"); add a channel that matches it, e.g. one matching \"*\" last");
    }

    @Test
    void noChannelsAtAllIsReportedAsSuch() {
        assertThatThrownBy(() -> Channels.select(List.of(), SemVer.parse("1.2.3")))
                .isInstanceOf(VersionException.class)
                .hasMessage("version 1.2.3 matches no channel because no channels are configured; add one, e.g."
                        + " a \"stable\" channel matching \"*\"");
    }

    @Test
    void channelWithoutTargetsReleasesEverywhere() {
        assertThat(STABLE.releasesTo("docker")).isTrue();
        assertThat(STABLE.releasesTo("npm")).isTrue();
        assertThat(NIGHTLY.releasesTo("docker")).isTrue();
        assertThat(NIGHTLY.releasesTo("npm")).isFalse();
    }

    @Test
    void channelTargetsAreAnImmutableCopy() {
        List<String> targets = new ArrayList<>(List.of("docker"));
        Channel channel = new Channel("edge", "*", "", false, false, targets);
        targets.add("npm");

        assertThat(channel.targets().orElseThrow()).containsExactly("docker");
        assertThatThrownBy(() -> channel.targets().orElseThrow().add("pypi")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void channelNeedsAName() {
        assertThatThrownBy(() -> new Channel(" ", "*", "", false, false, List.of()))
                .isInstanceOf(VersionException.class)
                .hasMessage("a channel has an empty name; give every channel a name such as \"stable\"");
    }
}
