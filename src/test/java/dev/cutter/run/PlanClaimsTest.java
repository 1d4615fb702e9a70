package dev.cutter.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.kinds.Capabilities;
import dev.cutter.ledger.Claim;
import dev.cutter.plan.Plan;
import dev.cutter.plan.ReleaseContext;
import dev.cutter.plan.ReleaseRequest;
import dev.cutter.spec.Spec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a plan claims: its publications by job and target, each with a fingerprint of what it publishes as planned. */
class PlanClaimsTest {
    static final String SHA = "6d7d2a3fe8243809b3c3a710792c8498292e2fc3";
    static final String OTHER_SHA = "0123456789abcdef0123456789abcdef01234567";

    static Plan dbx(String sha, Map<String, String> vars, Map<String, List<String>> only) {
        Spec spec = Capabilities.specLoader().load(Path.of("examples", "dbx-runtime", "cutter.yaml"));
        return Capabilities.planner().plan(spec, ReleaseContext.resolve(spec, new ReleaseRequest(Optional.empty(), Optional.of("1.0.1"),
                vars, only, Optional.empty(), Optional.of(sha), "20261123")));
    }

    static final Map<String, List<String>> FILTER = Map.of("image", List.of("python"), "runtime", List.of("15.4 LTS"));

    @Test
    void aFilteredPlanClaimsOnlyItsPublicationsEachAsTheFullPlanClaimsIt() {
        Map<String, String> filtered = PlanClaims.of(dbx(SHA, Map.of(), FILTER)).fingerprints();
        Map<String, String> full = PlanClaims.of(dbx(SHA, Map.of(), Map.of())).fingerprints();

        assertThat(filtered).containsOnlyKeys("push/base/python 127.0.0.1:5005/twsl/dbx-runtime",
                "push/runtime/15.4-LTS-python-_ 127.0.0.1:5005/twsl/dbx-runtime");
        assertThat(full).hasSizeGreaterThan(filtered.size()).containsAllEntriesOf(filtered);
    }

    @Test
    void anotherCommitIsOtherContentAndAnotherTargetAnotherPublication() {
        Map<String, String> here = PlanClaims.of(dbx(SHA, Map.of(), FILTER)).fingerprints();
        Map<String, String> later = PlanClaims.of(dbx(OTHER_SHA, Map.of(), FILTER)).fingerprints();
        Map<String, String> elsewhere = PlanClaims.of(dbx(SHA, Map.of("GHCR", "127.0.0.1:6000"), FILTER)).fingerprints();
        Map<String, String> renamed = PlanClaims.of(dbx(SHA, Map.of("PYTHON", "py313"), FILTER)).fingerprints();

        assertThat(later.keySet()).isEqualTo(here.keySet());
        here.forEach((key, fingerprint) -> assertThat(later.get(key)).as(key).isNotEqualTo(fingerprint));
        assertThat(elsewhere.keySet()).doesNotContainAnyElementsOf(here.keySet());
        assertThat(renamed.keySet()).isEqualTo(here.keySet());
        String base = "push/base/python 127.0.0.1:5005/twsl/dbx-runtime";
        assertThat(renamed.get(base)).as("other tags of the non-runtime image").isNotEqualTo(here.get(base));
        String runtime = "push/runtime/15.4-LTS-python-_ 127.0.0.1:5005/twsl/dbx-runtime";
        assertThat(renamed.get(runtime)).as("a runtime image's Python comes from its data, not from --var PYTHON")
                .isEqualTo(here.get(runtime));
    }

    @Test
    void aPlanThatPublishesNothingClaimsTheWholeVersionByItsDigest() {
        Spec spec = Capabilities.specLoader().load(Path.of("inline", "cutter.yaml"), """
                project: demo
                builds:
                  - id: app
                    run: echo app > app
                    outputs: [ app ]
                """);
        Plan plan = Capabilities.planner().plan(spec, ReleaseContext.resolve(spec, ReleaseRequest.ofVersion("1.0.0")));

        assertThat(PlanClaims.of(plan).fingerprints()).containsExactly(Map.entry(Claim.WHOLE_VERSION, Runs.digest(plan)));
    }
}
