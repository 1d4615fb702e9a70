package dev.cutter.kinds.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.cutter.kinds.Capabilities;
import dev.cutter.plan.Action;
import dev.cutter.plan.Job;
import dev.cutter.plan.Plan;
import dev.cutter.plan.ReleaseContext;
import dev.cutter.plan.ReleaseRequest;
import dev.cutter.spec.Spec;
import dev.cutter.spec.SpecError;
import dev.cutter.spec.SpecException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check: attestations}: declared, told where it cannot apply, and run by {@code cutter verify} whenever a release attests. */
class AttestationCheckPlanTest {
    @TempDir
    Path project;

    private static final String IMAGES = """
            project: app
            registries:
              r: { url: "127.0.0.1:5000" }
            images:
              - id: app
                platforms: [linux/amd64]
                files: { /app: app.bin }
                push: r/acme/app
                tags: ["{version}"]
            """;

    private Plan plan(String yaml) throws Exception {
        Path file = project.resolve("cutter.yaml");
        Files.writeString(file, yaml);
        Files.writeString(project.resolve("app.bin"), "x");
        Spec spec = Capabilities.specLoader().load(file, yaml);
        return Capabilities.planner().plan(spec, ReleaseContext.resolve(spec, new ReleaseRequest(Optional.empty(),
                Optional.of("1.2.3"), Map.of(), Map.of(), Optional.empty(), Optional.empty(), "20261207")));
    }

    private static List<String> checks(Plan plan) {
        return plan.actions(Action.Validate.class).map(Action.Validate::check).toList();
    }

    @Test
    void verifyChecksTheAttestationsOfARecordedReleaseThatMadeThem() throws Exception {
        Plan attested = plan(IMAGES + "attestations: { key: \"${file:keys/release.asc}\" }\n");
        assertThat(checks(attested.verifying(Map.of()))).containsExactly("images", "attestations");
        Job check = attested.verifying(Map.of()).job("validate/attestations").orElseThrow();
        assertThat(check.needs()).contains("push/app");
        assertThat(checks(plan(IMAGES).verifying(Map.of()))).containsExactly("images");
    }

    @Test
    void aDeclaredCheckIsPlannedAfterThePublicationsAndNotAddedTwice() throws Exception {
        Plan declared = plan(IMAGES + """
                attestations: { key: "${file:keys/release.asc}" }
                validate:
                  - { id: attested, check: attestations }
                """);
        assertThat(declared.job("validate/attested").orElseThrow().needs()).contains("push/app");
        assertThat(checks(declared.verifying(Map.of()))).containsExactly("attestations");
    }

    @Test
    void aCheckOfAttestationsWithoutTheSectionIsToldWhereItIsWritten() throws Exception {
        List<SpecError> errors;
        try {
            plan(IMAGES + """
                    validate:
                      - { id: attested, check: attestations }
                    """);
            errors = List.of();
        } catch (SpecException e) {
            errors = e.errors();
        }
        assertThat(errors).extracting(e -> e.location().line(), SpecError::path)
                .containsExactly(tuple(11, "validate[0].check"));
        assertThat(errors.getFirst().message()).contains("no attestations: section");
    }
}
