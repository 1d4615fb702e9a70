package dev.cutter.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What `cutter verify` runs of a recorded plan. */
class PlanVerifyingTest {
    @Test
    void everyCheckWaitsForTheIndexesReadBackBeforeItLooksAtThem() {
        Plan plan = Plans.exampleTag("serverless-init", "serverless-init-1.7.8");
        Map<String, Action.Source> sources = new LinkedHashMap<>();
        for (Planned<Action.Index> index : plan.jobs(Action.Index.class).toList()) {
            sources.put(index.id(), new Action.Source("127.0.0.1:5000/app", "1.7.8", new Action.Access("none", java.util.Optional.empty(), java.util.Optional.empty(), true, 0), Map.of(), false));
        }

        Plan verifying = plan.verifying(sources);

        assertThat(sources).isNotEmpty();
        assertThat(verifying.jobs(Action.Validate.class)).isNotEmpty()
                .allSatisfy(check -> assertThat(check.needs()).containsAll(sources.keySet()));
        assertThat(verifying.jobs(Action.Source.class)).extracting(Planned::id).containsExactlyInAnyOrderElementsOf(sources.keySet());
    }
}
