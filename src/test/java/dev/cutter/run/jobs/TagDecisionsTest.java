package dev.cutter.run.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.cutter.run.jobs.TagDecisions.Decision;
import dev.cutter.run.jobs.TagDecisions.Kind;
import dev.cutter.run.jobs.TagDecisions.Tags;
import dev.cutter.version.SemVer;
import dev.cutter.version.VersionScheme;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TagDecisionsTest {
    static final String NEW = "sha256:" + "1".repeat(64);
    static final String OLD = "sha256:" + "2".repeat(64);
    static final Tags STANDARD = new Tags(List.of("1.6.9", "1", "1.6", "latest"), List.of("1", "1.6", "latest"),
            Map.of("1", "major", "1.6", "minor", "latest", "all"), List.of());

    static List<Decision> decide(String version, Tags tags, Map<String, String> existing, boolean rolling, boolean force) {
        return TagDecisions.decide(SemVer.parse(version), VersionScheme.SEMVER, tags, existing, NEW, rolling, force);
    }

    @Test
    void latestAndMajorStayOnTheHighestVersionWhenAPatchOfAnOlderLineIsReleased() {
        Map<String, String> existing = Map.of("1.7.8", OLD, "1.6.8", OLD, "1", OLD, "1.6", OLD, "latest", OLD,
                "1.7.8-alpine", OLD);

        assertThat(decide("1.6.9", STANDARD, existing, false, false)).extracting(Decision::tag, Decision::kind).containsExactly(
                tuple("1.6.9", Kind.CREATE), tuple("1", Kind.KEEP), tuple("1.6", Kind.MOVE), tuple("latest", Kind.KEEP));
    }

    @Test
    void forcingMovesFloatingTagsBackwards() {
        Map<String, String> existing = Map.of("1.7.8", OLD, "latest", OLD);

        assertThat(decide("1.6.9", STANDARD, existing, false, true)).filteredOn(d -> d.tag().equals("latest"))
                .extracting(Decision::kind).containsExactly(Kind.MOVE);
    }

    @Test
    void anExistingVersionTagAtAnotherDigestIsRefused() {
        List<Decision> decisions = decide("1.6.9", STANDARD, Map.of("1.6.9", OLD), false, false);

        assertThat(decisions.get(0).kind()).isEqualTo(Kind.REFUSE);
        assertThat(decisions.get(0).reason()).contains("tag 1.6.9 exists at " + OLD).contains("never changes");
    }

    @Test
    void aRollingChannelReplacesItsVersionTag() {
        assertThat(decide("1.6.9", STANDARD, Map.of("1.6.9", OLD), true, false).get(0).kind()).isEqualTo(Kind.MOVE);
    }

    @Test
    void republishingTheSameDigestChangesNothing() {
        Map<String, String> existing = Map.of("1.6.9", NEW, "1", NEW, "1.6", NEW, "latest", NEW);

        assertThat(decide("1.6.9", STANDARD, existing, false, false)).extracting(Decision::kind).containsOnly(Kind.UNCHANGED);
    }

    @Test
    void variantsCompeteOnlyWithTheirOwnVersions() {
        Tags alpine = new Tags(List.of("1.6.9-alpine", "latest-alpine"), List.of("latest-alpine"), Map.of("latest-alpine", "all"),
                List.of());
        Map<String, String> existing = Map.of("1.7.8", OLD, "latest-alpine", OLD, "1.6.8-alpine", OLD);

        assertThat(decide("1.6.9", alpine, existing, false, false)).extracting(Decision::kind)
                .containsExactly(Kind.CREATE, Kind.MOVE);
    }

    @Test
    void aPrereleaseNeverMovesLatest() {
        Tags tags = new Tags(List.of("2.0.0-rc.1", "latest"), List.of("latest"), Map.of("latest", "all"), List.of());

        assertThat(decide("2.0.0-rc.1", tags, Map.of("1.7.8", OLD), false, false)).extracting(Decision::kind)
                .containsExactly(Kind.CREATE, Kind.KEEP);
    }

    @Test
    void rollingTagsAlwaysFollow() {
        Tags tags = new Tags(List.of("latest", "abc123"), List.of(), Map.of(), List.of("latest"));

        assertThat(decide("0.9.0", tags, Map.of("latest", OLD), false, false)).extracting(Decision::kind)
                .containsExactly(Kind.MOVE, Kind.CREATE);
    }
}
