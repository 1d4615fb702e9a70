package dev.cutter.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A plan's jobs found by id, as handlers ask for them per job and per publication. */
class PlanLookupTest {
    static Plan chain(int length) {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            jobs.add(new Job("build/" + i, "build", "b", i == 0 ? List.of() : List.of("build/" + (i - 1)), Map.of(), Optional.empty(),
                    new Action.Build("true", Map.of(), "project", List.of(), List.of(), Optional.empty(), 0)));
        }
        return new Plan(1, "p", "1.0.0", "semver", "v1.0.0", "stable", false, Optional.empty(), Optional.empty(), jobs, List.of(),
                Map.of());
    }

    @Test
    void theInputsOfTheLastOf100000ChainedJobsAreFoundInTimeProportionalToThem() {
        // a walk over the jobs for each need made this 5 × 10^9 comparisons (minutes)
        Plan plan = chain(100_000);
        long start = System.nanoTime();

        List<Job> inputs = plan.inputs(plan.jobs().get(99_999));

        assertThat(inputs).hasSize(99_999);
        assertThat(inputs.get(0).id()).isEqualTo("build/99998");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void eachPlanAnswersWithItsOwnJobsWhenTwoAreAskedInTurn() {
        Plan one = chain(3);
        Plan other = new Plan(1, "q", "1.0.0", "semver", "v1.0.0", "stable", false, Optional.empty(), Optional.empty(),
                List.of(new Job("build/0", "build", "other", List.of(), Map.of(), Optional.empty(),
                        new Action.Build("false", Map.of(), "project", List.of(), List.of(), Optional.empty(), 0))), List.of(), Map.of());

        assertThat(one.job("build/0").orElseThrow().entry()).isEqualTo("b");
        assertThat(other.job("build/0").orElseThrow().entry()).isEqualTo("other");
        assertThat(one.job("build/0").orElseThrow().entry()).isEqualTo("b");
        assertThat(other.job("build/1")).isEmpty();
        assertThat(one.job("build/2")).isPresent();
    }
}
