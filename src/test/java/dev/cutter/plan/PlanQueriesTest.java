package dev.cutter.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A plan's jobs and actions asked for by the type of their action, as a later job reads what earlier ones do. */
class PlanQueriesTest {
    static final Action.Package DEB = new Action.Package("deb", "app", "1.0.0", "amd64", "the app", Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), Map.of(), Map.of(), Map.of(), "dist/app_1.0.0_amd64.deb",
            Optional.empty(), Optional.empty());

    static Job job(String id, List<String> needs, Action action) {
        return new Job(id, action.jobKind().id(), id.split("/")[1], needs, Map.of(), Optional.empty(), action);
    }

    static Plan plan(Job... jobs) {
        return new Plan(1, "p", "1.0.0", "semver", "v1.0.0", "stable", false, Optional.empty(), Optional.empty(), List.of(jobs),
                List.of(), Map.of());
    }

    static final Plan PLAN = plan(
            job("build/app", List.of(), new Action.Build("make", Map.of(), ".", List.of(), List.of("dist/app"), Optional.empty(), 0)),
            job("checksums/sums", List.of("build/app"), new Action.Checksums("SHA256SUMS", "sha256")),
            job("sign/one", List.of("checksums/sums"), new Action.Sign("checksums", "detached", "${env:KEY}", Optional.empty())),
            job("fetch/app", List.of(), new Action.Fetch("package", "app_1.0.0_amd64.deb", "sha256:00", 1, List.of(), DEB)),
            job("sign/two", List.of("fetch/app"), new Action.Sign("packages", "detached", "${env:OTHER}", Optional.empty())));

    @Test
    void actionsOfOneKindComeTypedInJobOrderAndNoOthers() {
        List<Action.Sign> signs = PLAN.actions(Action.Sign.class).toList();

        assertThat(signs).extracting(Action.Sign::key).containsExactly("${env:KEY}", "${env:OTHER}");
        assertThat(PLAN.actions(Action.Index.class)).isEmpty();
    }

    @Test
    void jobsOfOneKindCarryTheirJobAndTheirActionTyped() {
        List<Planned<Action.Sign>> signs = PLAN.jobs(Action.Sign.class).toList();

        assertThat(signs).extracting(Planned::id).containsExactly("sign/one", "sign/two");
        assertThat(signs.get(1).needs()).containsExactly("fetch/app");
        assertThat(signs.get(1).entry()).isEqualTo("two");
        assertThat(signs.get(1).action().artifacts()).isEqualTo("packages");
        assertThat(signs.get(0).job()).isSameAs(PLAN.jobs().get(2));
    }

    @Test
    void aJobByIdIsFoundOnlyWhenItsActionIsOfTheKindAsked() {
        assertThat(PLAN.job("checksums/sums", Action.Checksums.class)).map(j -> j.action().name()).contains("SHA256SUMS");
        assertThat(PLAN.job("checksums/sums", Action.Sign.class)).isEmpty();
        assertThat(PLAN.job("checksums/none", Action.Checksums.class)).isEmpty();
    }

    @Test
    void whetherAPlanHasAKindOfActionIsAnsweredByItsJobs() {
        assertThat(PLAN.has(Action.Checksums.class)).isTrue();
        assertThat(PLAN.has(Action.Validate.class)).isFalse();
        assertThat(PLAN.has(Action.Package.class)).as("a promotion's fetch makes a package but is no package job").isFalse();
    }

    @Test
    void whatAPromotionsFetchMadeCountsAsWhatThePlanMakes() {
        assertThat(PLAN.made(Action.Package.class)).containsExactly(DEB);
        assertThat(PLAN.actions(Action.Package.class)).isEmpty();
        assertThat(PLAN.made(Action.Build.class)).hasSize(1);
    }

    @Test
    void eachKindOfTheListFindsExactlyTheJobsNamedByItInARealPlan() {
        for (Plan plan : List.of(Plans.exampleTag("serverless-init", "serverless-init-1.7.8"), Plans.example("km", "1.2.3"))) {
            for (Kind kind : Kind.values()) {
                assertThat(plan.jobs(kind.action()).map(Planned::id))
                        .as(kind.id())
                        .containsExactlyElementsOf(plan.jobs().stream().filter(j -> j.kind().equals(kind.id())).map(Job::id).toList());
            }
        }
    }

    @Test
    void planningAnswersTheSameQueriesForTheJobsAddedSoFar() {
        var spec = dev.cutter.kinds.Capabilities.specLoader().load(java.nio.file.Path.of("examples", "km", "cutter.yaml"));
        Planning planning = new Planning(spec, ReleaseContext.resolve(spec, Plans.request("1.2.3")));
        String build = planning.add("build", "app", dev.cutter.spec.Cell.EMPTY, List.of(), new Planning.Needs(), Optional.empty(),
                new Action.Build("make", Map.of(), ".", List.of(), List.of("dist/app"), Optional.empty(), 0));
        planning.add("checksums", "sums", dev.cutter.spec.Cell.EMPTY, List.of(), new Planning.Needs().add(build), Optional.empty(),
                new Action.Checksums("SHA256SUMS", "sha256"));

        assertThat(planning.jobs(Action.Build.class)).extracting(Planned::id).containsExactly("build/app");
        assertThat(planning.actions(Action.Checksums.class)).extracting(Action.Checksums::name).containsExactly("SHA256SUMS");
        assertThat(planning.jobs(Action.Sign.class)).isEmpty();
        assertThat(planning.has(Action.Checksums.class)).isTrue();
        assertThat(planning.has(Action.Sign.class)).isFalse();
    }
}
