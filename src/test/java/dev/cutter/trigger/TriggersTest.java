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
        assertThat(d.version()).contains("0.10-daily");
        assertThat(d.why()).contains("branch releases/beta/daily matches triggers[1]");
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
