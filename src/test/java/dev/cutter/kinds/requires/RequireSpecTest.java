package dev.cutter.kinds.requires;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.cutter.kinds.Capabilities;
import dev.cutter.plan.Action;
import dev.cutter.plan.Plan;
import dev.cutter.plan.PlanJson;
import dev.cutter.plan.ReleaseContext;
import dev.cutter.plan.ReleaseRequest;
import dev.cutter.spec.Spec;
import dev.cutter.spec.SpecError;
import dev.cutter.spec.SpecException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code requires:} read and checked at load (file:line:column), planned as require jobs the plan shows. */
class RequireSpecTest {
    @TempDir
    Path project;

    private static final String HEAD = """
            project: caa
            vars:
              GC: "0.10.0"
              GITHUB: "https://github.com"
            registries:
              quay: { url: "quay.io" }
            components:
              - id: caa
            requires:
            """;

    private Spec load(String requires) throws Exception {
        Files.writeString(project.resolve("versions.yaml"), "gc:\n  version: main\n");
        Path file = project.resolve("cutter.yaml");
        String yaml = HEAD + requires;
        Files.writeString(file, yaml);
        return Capabilities.specLoader().load(file, yaml);
    }

    private List<SpecError> errors(String requires) throws Exception {
        try {
            load(requires);
        } catch (SpecException e) {
            return e.errors();
        }
        return List.of();
    }

    @Test
    void anUnknownPlaceholderIsToldWhereItIsWritten() throws Exception {
        assertThat(errors("""
                  - id: gc
                    git: "{vars.GITHUB}/confidential-containers/guest-components"
                    tag: "v{vars.GUEST}"
                """)).extracting(e -> e.location().line(), e -> e.location().column(), SpecError::path)
                .containsExactly(tuple(12, 12, "requires[0].tag")); // at the placeholder
        assertThat(errors("""
                  - id: gc
                    git: "{vars.GITHB}/guest-components"
                    tag: "v{version}"
                """)).extracting(e -> e.location().line(), SpecError::path).containsExactly(tuple(11, "requires[0].git"));
    }

    @Test
    void exactlyOneSourceIsGiven() throws Exception {
        assertThat(errors("""
                  - id: gc
                    git: "https://github.com/confidential-containers/guest-components"
                    image: quay/confidential-containers/operator
                    tag: v1
                """)).singleElement().satisfies(e -> {
                    assertThat(e.path()).isEqualTo("requires[0]");
                    assertThat(e.message()).startsWith("give exactly one of git");
                });
        assertThat(errors("""
                  - id: gc
                    tag: v1
                """)).extracting(SpecError::path).containsExactly("requires[0]");
    }

    @Test
    void aReleaseNamesAForgeAndATokenGoesWithAReleaseOnly() throws Exception {
        assertThat(errors("""
                  - id: kata
                    release: "https://github.com/kata-containers/kata-containers"
                    tag: "3.6.0"
                  - id: gc
                    git: "https://github.com/confidential-containers/guest-components"
                    tag: v1
                    token: "${env:GITHUB_TOKEN}"
                """)).extracting(e -> e.location().line(), SpecError::path).containsExactly(tuple(11, "requires[0].release"),
                tuple(16, "requires[1].token"));
    }

    @Test
    void aWaitIsADurationAndAComponentOneOfTheSpecs() throws Exception {
        assertThat(errors("""
                  - id: gc
                    git: "https://github.com/confidential-containers/guest-components"
                    tag: v1
                    wait: soon
                    component: cloud-api-adaptor
                """)).extracting(e -> e.location().line(), SpecError::path).containsExactlyInAnyOrder(tuple(13, "requires[0].wait"),
                tuple(10, "requires[0].component"));
        assertThat(errors("""
                  - id: gc
                    image: nowhere/confidential-containers/operator
                    tag: v1
                """)).extracting(SpecError::path).containsExactly("requires[0].image");
    }

    @Test
    void theComponentsReleaseRequiresItsUpstreamsAndThePlanShowsThem() throws Exception {
        Spec spec = load("""
                  - id: gc
                    git: "{vars.GITHUB}/confidential-containers/guest-components"
                    tag: "v{vars.GC}"
                    component: caa
                    wait: 30m
                  - id: operator
                    image: quay/confidential-containers/operator
                    tag: "v{version}"
                    component: caa
                  - id: kata
                    release: "github:kata-containers/kata-containers"
                    tag: "3.6.0"
                    wait: 1h30m
                pins:
                  - id: gc
                    file: versions.yaml
                    yaml: gc.version
                    value: "{vars.GC}"
                    component: caa
                """);
        Plan component = Capabilities.planner().plan(spec, ReleaseContext.resolve(spec,
                ReleaseRequest.ofVersion("0.10.0").withComponent("caa")));
        assertThat(component.jobs(Action.Require.class)).extracting(j -> j.id()).containsExactly("require/gc", "require/operator");
        assertThat(component.job("require/gc").orElseThrow().action()).isEqualTo(new Action.Require("git",
                "https://github.com/confidential-containers/guest-components", "v0.10.0", 1800, Optional.empty(), Optional.empty()));
        assertThat(component.jobs(Action.Pin.class)).as("pins wait for what they name, wherever the jobs run")
                .singleElement().satisfies(pin -> assertThat(pin.needs()).containsExactly("require/gc", "require/operator"));
        String text = Capabilities.planText().render(component);
        assertThat(text).contains("require/gc        git tag v0.10.0 of https://github.com/confidential-containers/guest-components,"
                + " waited for up to 30m\n").contains("require/operator  image quay.io/confidential-containers/operator:v0.10.0\n");
        assertThat(PlanJson.write(component)).contains("""
                "id" : "require/gc",
                    "kind" : "require",
                    "entry" : "gc",
                    "needs" : [ ],
                    "matrix" : { },
                    "action" : {
                      "source" : "git",
                      "from" : "https://github.com/confidential-containers/guest-components",
                      "tag" : "v0.10.0",
                      "waitSeconds" : 1800
                    }""");
        assertThat(PlanJson.read(PlanJson.mapper().readTree(PlanJson.write(component)))).isEqualTo(component);

        Plan projectRelease = Capabilities.planner().plan(spec, ReleaseContext.resolve(spec, ReleaseRequest.ofVersion("0.10.0")));
        assertThat(projectRelease.jobs(Action.Require.class)).singleElement().satisfies(j -> assertThat(j.action())
                .isEqualTo(new Action.Require("release", "github:kata-containers/kata-containers", "3.6.0", 5400, Optional.empty(),
                        Optional.empty())));
        assertThat(Capabilities.planText().render(projectRelease))
                .contains("release 3.6.0 of github:kata-containers/kata-containers, waited for up to 1h30m");
    }

    @Test
    void aRequirementNamesTheVersionAPinSetsAndThePlanShowsItResolved() throws Exception {
        Spec spec = load("""
                  - id: trustee
                    git: "{vars.GITHUB}/confidential-containers/trustee"
                    tag: "v{pins.kbs}"
                    component: caa
                    wait: 30m
                pins:
                  - id: kbs
                    file: versions.yaml
                    yaml: gc.version
                    value: "{vars.GC}-{version}"
                    component: caa
                """);
        Plan plan = Capabilities.planner().plan(spec, ReleaseContext.resolve(spec,
                ReleaseRequest.ofVersion("0.10.0").withComponent("caa")));

        assertThat(plan.job("require/trustee").orElseThrow().action()).isEqualTo(new Action.Require("git",
                "https://github.com/confidential-containers/trustee", "v0.10.0-0.10.0", 1800, Optional.empty(), Optional.empty()));
        assertThat(Capabilities.planText().render(plan)).contains("git tag v0.10.0-0.10.0 of https://github.com/confidential-containers/trustee");
    }

    @Test
    void aPinsPlaceholderNamesAPinWhoseValueIsKnownWhenThePlanIsMade() throws Exception {
        String pins = """
                pins:
                  - id: kbs
                    file: versions.yaml
                    yaml: gc.version
                    value: "{vars.GC}"
                    component: caa
                """;
        assertThat(errors("""
                  - id: trustee
                    git: "https://github.com/confidential-containers/trustee"
                    tag: "v{pins.kbz}"
                """ + pins)).singleElement().satisfies(e -> {
                    assertThat(e.path()).isEqualTo("requires[0].tag");
                    assertThat(e.location().line()).isEqualTo(12);
                    assertThat(e.location().column()).isEqualTo(12);
                    assertThat(e.message()).isEqualTo("{pins.kbz} names no pin; did you mean {pins.kbs}?");
                });
        assertThat(errors("""
                  - id: trustee
                    git: "https://github.com/confidential-containers/trustee"
                    tag: "v{pins}"
                """ + pins)).singleElement().satisfies(e -> {
                    assertThat(e.path()).isEqualTo("requires[0].tag");
                    assertThat(e.message()).startsWith("{pins} names no pin; write {pins.ID}");
                });
        assertThat(errors("""
                  - id: operator
                    git: "https://github.com/confidential-containers/operator"
                    tag: "{pins.caa-image}"
                pins:
                  - id: caa-image
                    file: versions.yaml
                    yaml: gc.version
                    digest-of: caa
                    component: caa
                images:
                  - id: caa
                    from: scratch
                    platforms: [linux/amd64]
                    push: quay/caa
                    tags: ["v{version}"]
                """)).singleElement().satisfies(e -> {
                    assertThat(e.path()).isEqualTo("requires[0].tag");
                    assertThat(e.message()).contains("{pins.caa-image}").contains("digest").contains("when its job runs");
                });
    }
}
