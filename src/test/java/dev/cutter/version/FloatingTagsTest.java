package dev.cutter.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FloatingTagsTest {

    private static final List<Version> RELEASED = List.of(v("1.6.8"), v("1.7.8"), v("1.6.7"));

    @Test
    void latestStaysOnTheHighestVersionWhenAnOlderLineIsPatched() {
        FloatingTags.Decision latest = FloatingTags.decide(v("1.6.9"), FloatingLine.ALL, RELEASED, false);

        assertThat(latest.move()).isFalse();
        assertThat(latest.reason()).isEqualTo("1.6.9 is not the highest stable version of all (1.7.8 exists)");
        assertThat(latest.highest()).contains(v("1.7.8"));
    }

    @Test
    void majorTagStaysButMinorTagMovesWhenAnOlderMinorIsPatched() {
        FloatingTags.Decision major = FloatingTags.decide(v("1.6.9"), FloatingLine.MAJOR, RELEASED, false);
        FloatingTags.Decision minor = FloatingTags.decide(v("1.6.9"), FloatingLine.MINOR, RELEASED, false);

        assertThat(major.move()).isFalse();
        assertThat(major.reason()).isEqualTo("1.6.9 is not the highest stable version of line 1.x (1.7.8 exists)");
        assertThat(minor.move()).isTrue();
        assertThat(minor.reason()).isEqualTo("1.6.9 is the highest stable version of line 1.6.x");
        assertThat(minor.highest()).contains(v("1.6.8"));
    }

    @Test
    void majorTagMovesForAPatchButLatestDoesNotWhenANewerMajorExists() {
        List<Version> released = List.of(v("1.7.8"), v("2.0.0"));

        FloatingTags.Decision one = FloatingTags.decide(v("1.7.9"), FloatingLine.MAJOR, released, false);
        FloatingTags.Decision latest = FloatingTags.decide(v("1.7.9"), FloatingLine.ALL, released, false);

        assertThat(one.move()).isTrue();
        assertThat(one.reason()).isEqualTo("1.7.9 is the highest stable version of line 1.x");
        assertThat(one.highest()).contains(v("1.7.8"));
        assertThat(latest.move()).isFalse();
        assertThat(latest.reason()).isEqualTo("1.7.9 is not the highest stable version of all (2.0.0 exists)");
    }

    @Test
    void newHighestVersionMovesLatest() {
        FloatingTags.Decision latest = FloatingTags.decide(v("1.7.9"), FloatingLine.ALL, RELEASED, false);

        assertThat(latest.move()).isTrue();
        assertThat(latest.reason()).isEqualTo("1.7.9 is the highest stable version of all");
        assertThat(latest.highest()).contains(v("1.7.8"));
    }

    @Test
    void prereleaseNeverMovesAFloatingTag() {
        FloatingTags.Decision decision = FloatingTags.decide(v("2.0.0-rc.1"), FloatingLine.ALL, RELEASED, false);

        assertThat(decision.move()).isFalse();
        assertThat(decision.reason()).isEqualTo("2.0.0-rc.1 is a prerelease; prereleases never move floating tags");
        assertThat(FloatingTags.decide(v("2.0.0-rc.1"), FloatingLine.MAJOR, List.of(), false).move()).isFalse();
    }

    @Test
    void existingPrereleasesDoNotHoldATagBack() {
        List<Version> released = List.of(v("1.7.8"), v("2.0.0-rc.1"), v("1.8.0-beta"));

        FloatingTags.Decision decision = FloatingTags.decide(v("1.7.9"), FloatingLine.ALL, released, false);

        assertThat(decision.move()).isTrue();
        assertThat(decision.highest()).contains(v("1.7.8"));
    }

    @Test
    void rerunningTheHighestReleaseMovesAgain() {
        FloatingTags.Decision again = FloatingTags.decide(v("1.7.8"), FloatingLine.ALL, RELEASED, false);
        FloatingTags.Decision rebuilt = FloatingTags.decide(v("1.7.8+build.2"), FloatingLine.ALL,
                List.of(v("1.7.8+build.1")), false);

        assertThat(again.move()).isTrue();
        assertThat(again.reason()).isEqualTo("1.7.8 is the highest stable version of all");
        assertThat(rebuilt.move()).isTrue();
    }

    @Test
    void firstStableVersionOfALineMovesItsTag() {
        FloatingTags.Decision decision = FloatingTags.decide(v("3.0.0"), FloatingLine.MAJOR, RELEASED, false);

        assertThat(decision.move()).isTrue();
        assertThat(decision.reason()).isEqualTo("3.0.0 is the first stable version of line 3.x");
        assertThat(decision.highest()).isEmpty();
    }

    @Test
    void forceAlwaysMoves() {
        FloatingTags.Decision older = FloatingTags.decide(v("1.6.9"), FloatingLine.ALL, RELEASED, true);
        FloatingTags.Decision prerelease = FloatingTags.decide(v("2.0.0-rc.1"), FloatingLine.ALL, RELEASED, true);

        assertThat(older.move()).isTrue();
        assertThat(older.reason()).isEqualTo("forced");
        assertThat(older.highest()).contains(v("1.7.8"));
        assertThat(prerelease.move()).isTrue();
        assertThat(prerelease.reason()).isEqualTo("forced");
    }

    @Test
    void looseVersionsCompeteByTheirNumbers() {
        List<LooseVersion> released = List.of(LooseVersion.parse("0.9"), LooseVersion.parse("0.10-daily"));

        FloatingTags.Decision decision = FloatingTags.decide(LooseVersion.parse("0.10"), FloatingLine.ALL, released,
                false);

        assertThat(decision.move()).isTrue();
        assertThat(decision.highest()).contains(LooseVersion.parse("0.9"));
        assertThat(FloatingTags.decide(LooseVersion.parse("0.8.5"), FloatingLine.MAJOR, released, false).reason())
                .isEqualTo("0.8.5 is not the highest stable version of line 0.x (0.9 exists)");
    }

    @Test
    void lineFollowsThePlaceholdersOfTheTagTemplate() {
        assertThat(FloatingTags.lineOf("latest")).isEqualTo(FloatingLine.ALL);
        assertThat(FloatingTags.lineOf("latest-alpine")).isEqualTo(FloatingLine.ALL);
        assertThat(FloatingTags.lineOf("{major}")).isEqualTo(FloatingLine.MAJOR);
        assertThat(FloatingTags.lineOf("{major}-alpine")).isEqualTo(FloatingLine.MAJOR);
        assertThat(FloatingTags.lineOf("{major}.{minor}")).isEqualTo(FloatingLine.MINOR);
        assertThat(FloatingTags.lineOf("v{major}.{minor}-slim")).isEqualTo(FloatingLine.MINOR);
    }

    @Test
    void minorWithoutMajorIsRejected() {
        assertThatThrownBy(() -> FloatingTags.lineOf("{minor}"))
                .isInstanceOf(VersionException.class)
                .hasMessage("floating tag \"{minor}\" uses {minor} without {major}, so 1.7 and 2.7 would share it;"
                        + " write e.g. \"{major}.{minor}\"");
    }

    @Test
    void lineMembershipComparesTheLeadingNumbers() {
        assertThat(FloatingLine.ALL.contains(v("1.7.8"), v("2.0.0"))).isTrue();
        assertThat(FloatingLine.MAJOR.contains(v("1.7.8"), v("1.0.0"))).isTrue();
        assertThat(FloatingLine.MAJOR.contains(v("1.7.8"), v("2.7.8"))).isFalse();
        assertThat(FloatingLine.MINOR.contains(v("1.7.8"), v("1.7.0"))).isTrue();
        assertThat(FloatingLine.MINOR.contains(v("1.7.8"), v("1.6.8"))).isFalse();
        assertThat(FloatingLine.MINOR.contains(v("1.7.8"), v("2.7.8"))).isFalse();
    }

    private static Version v(String text) {
        return SemVer.parse(text);
    }
}
