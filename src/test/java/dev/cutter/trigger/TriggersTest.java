package dev.cutter.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutter.spec.Location;
import dev.cutter.spec.Spec.TriggerSpec;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TriggersTest {
    static final Location HERE = new Location(1, 1);

    static TriggerSpec trigger(String on, String match, String action) {
        return new TriggerSpec(on, match, action, Optional.empty(), HERE);
    }

    static final List<TriggerSpec> KM = List.of(trigger("tag", "v*", "release"),
            new TriggerSpec("branch", "releases/*/*", "release", Optional.of("0.10-{branch.name}"), HERE),
            trigger("branch", "main", "nothing"), trigger("pull-request", "main", "build"));

    static Triggers.Decision push(String ref) {
        return Triggers.decide(KM, new Triggers.Event("push", ref, Optional.empty()));
    }

    @Test
    void aVersionTagReleasesItselfAndAnyOtherTagNothing() {
        assertThat(push("refs/tags/v0.9-beta")).extracting(Triggers.Decision::action, Triggers.Decision::tag)
                .containsExactly("release", Optional.of("v0.9-beta"));
        assertThat(push("refs/tags/nightly").action()).isEqualTo("nothing");
        assertThat(push("refs/tags/nightly").why()).contains("matches no trigger");
    }

    @Test
    void aReleaseBranchReleasesTheVersionItsTriggerNames() {
        Triggers.Decision d = push("refs/heads/releases/beta/daily");
        assertThat(d.action()).isEqualTo("release");
        assertThat(d.tag()).isEmpty();
        assertThat(d.branch()).get().extracting(Triggers.BranchMatch::index).isEqualTo(1);
        assertThat(BranchVersions.render(d.branch().get().trigger().version().orElseThrow(), d.branch().get().branch(), "20260102",
                Optional.empty())).isEqualTo("0.10-daily");
        assertThat(d.why()).contains("branch releases/beta/daily matches triggers[1]");
    }

    @Test
    void branchNameIsWhatThePatternsLastStarMatchedElseTheLastSegment() {
        assertThat(BranchVersions.Branch.matched("releases/*/v*", "releases/km/v0.10").shortName()).isEqualTo("0.10");
        assertThat(BranchVersions.Branch.matched("releases/*/*", "releases/beta/snapshot-api").shortName()).isEqualTo("snapshot-api");
        assertThat(BranchVersions.Branch.matched("release-*-x", "release-1.2-x").shortName()).isEqualTo("1.2");
        assertThat(BranchVersions.Branch.matched("main", "main").shortName()).isEqualTo("main");
        assertThat(BranchVersions.Branch.matched("team/main", "team/main").shortName()).isEqualTo("main");
    }

    @Test
    void aBranchVersionRendersTheHistoryOnceAndNeverReadsAValueAgain() {
        BranchVersions.History history = new BranchVersions.History("0123456789abcdef", 3,
                Optional.of(dev.cutter.version.VersionScheme.SEMVER.parse("1.4.2")));
        BranchVersions.Branch main = BranchVersions.Branch.matched("main", "main");
        assertThat(BranchVersions.render("{last}-{branch}.{commits}", main, "20260102", Optional.of(history))).isEqualTo("1.4.2-main.3");
        assertThat(BranchVersions.render("{last.major}.{last.minor}-daily.{date}.{short_sha}", main, "20260102", Optional.of(history)))
                .isEqualTo("1.4-daily.20260102.0123456");
        assertThat(BranchVersions.render("{last}-{commits}", main, "d", Optional.of(new BranchVersions.History("ab", 7, Optional.empty()))))
                .as("no version tag yet").isEqualTo("0.0.0-7");
        assertThat(BranchVersions.render("{branch.name}", BranchVersions.Branch.matched("x/*", "x/{date}"), "20260102", Optional.empty()))
                .isEqualTo("{date}");
        assertThat(BranchVersions.needsHistory("{branch.name}-{date}")).isFalse();
        assertThat(BranchVersions.needsHistory("{last}-main.{commits}")).isTrue();
    }

    @Test
    void pathsAreFilesDirectoriesOrGlobs() {
        List<String> paths = List.of("cutter.yaml", "data/", "scripts", "src/*.java");
        assertThat(BranchVersions.touches(paths, List.of("README.md", "docs/x.md"))).isFalse();
        assertThat(BranchVersions.touches(paths, List.of("README.md", "data/base/minimal"))).isTrue();
        assertThat(BranchVersions.touches(paths, List.of("scripts/render.sh"))).isTrue();
        assertThat(BranchVersions.touches(paths, List.of("scriptsX"))).isFalse();
        assertThat(BranchVersions.touches(paths, List.of("src/a/B.java"))).isTrue();
        assertThat(BranchVersions.touches(paths, List.of("cutter.yaml"))).isTrue();
        assertThat(BranchVersions.touches(List.of(), List.of())).as("no paths: every push counts").isTrue();
    }

    @Test
    void doNothingAndUnmatchedBranchesStartNothing() {
        assertThat(push("refs/heads/main").action()).isEqualTo("nothing");
        assertThat(push("refs/heads/main").why()).contains("do: nothing");
        assertThat(push("refs/heads/feature/x").action()).isEqualTo("nothing");
    }

    @Test
    void aPullRequestIntoMainBuildsUnderAPullRequestVersionAndNeverReleases() {
        Triggers.Decision d = Triggers.decide(KM, new Triggers.Event("pull_request", "refs/pull/45/merge", Optional.of("main")));
        assertThat(d.action()).isEqualTo("build");
        assertThat(d.version()).contains("0.0.0-pr.45");
        assertThat(d.tag()).isEmpty();
        assertThat(Triggers.decide(KM, new Triggers.Event("pull_request", "refs/pull/46/merge", Optional.of("develop"))).action())
                .isEqualTo("nothing");
        assertThat(Triggers.decide(List.of(trigger("tag", "v*", "release")),
                new Triggers.Event("pull_request", "refs/tags/v1.0.0", Optional.empty())).action())
                .as("a pull request is never a release, whatever its ref").isEqualTo("nothing");
    }

    @Test
    void theFirstMatchingTriggerWins() {
        List<TriggerSpec> triggers = List.of(trigger("tag", "v*-rc*", "build"), trigger("tag", "v*", "release"));
        assertThat(Triggers.decide(triggers, new Triggers.Event("push", "refs/tags/v1.0.0-rc1", Optional.empty())).action())
                .isEqualTo("build");
        assertThat(Triggers.decide(triggers, new Triggers.Event("push", "refs/tags/v1.0.0", Optional.empty())).action())
                .isEqualTo("release");
    }

    @Test
    void malformedEventsAreRefusedWithWhatToGive() {
        assertThatThrownBy(() -> new Triggers.Event("merge", "refs/heads/main", Optional.empty()))
                .hasMessageContaining("give push or pull_request");
        assertThatThrownBy(() -> new Triggers.Event("push", "v1.0.0", Optional.empty())).hasMessageContaining("refs/tags/v1.2.3");
    }
}
