package dev.cutter.kinds.attest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.cutter.kinds.Capabilities;
import dev.cutter.plan.Action;
import dev.cutter.plan.Job;
import dev.cutter.plan.Plan;
import dev.cutter.plan.Planned;
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

/** {@code attestations:}: read with file:line:column faults, planned between each index and its push, and as release assets. */
class AttestPlanTest {
    @TempDir
    Path project;

    private static final String IMAGES = """
            project: app
            registries:
              r: { url: "127.0.0.1:5000" }
            images:
              - id: app
                platforms: [linux/amd64, linux/arm64]
                files: { /app: app.bin }
                push: r/acme/app
                tags: ["{version}"]
            archives:
              - { id: bin, name: app.tar.gz, format: tar.gz, files: [ { src: app.bin } ] }
            releases:
              - { id: store, name: "v{version}", store: "dir:dist/releases" }
            """;

    private Spec load(String yaml) throws Exception {
        Path file = project.resolve("cutter.yaml");
        Files.writeString(file, yaml);
        Files.writeString(project.resolve("app.bin"), "x");
        return Capabilities.specLoader().load(file, yaml);
    }

    private List<SpecError> errors(String yaml) throws Exception {
        try {
            load(yaml);
        } catch (SpecException e) {
            return e.errors();
        }
        return List.of();
    }

    @Test
    void anUnknownFormatAndAMissingKeyAreToldWhereTheyAreWritten() throws Exception {
        assertThat(errors(IMAGES + """
                attestations:
                  sbom: [cyclonedx, syft]
                  provenance: true
                """)).extracting(e -> e.location().line(), SpecError::path, e -> e.message().substring(0, 30))
                .containsExactly(tuple(15, "attestations.sbom", "unknown SBOM format 'syft'; wr"),
                        tuple(15, "attestations.key", "provenance is signed with the "));
    }

    @Test
    void eachIndexIsAttestedBeforeItsPushAndTheFilesBeforeTheRelease() throws Exception {
        Spec spec = load(IMAGES + """
                attestations: { key: "${file:keys/release.asc}" }
                """);
        Plan plan = Capabilities.planner().plan(spec, ReleaseContext.resolve(spec, new ReleaseRequest(Optional.empty(),
                Optional.of("1.2.3"), Map.of(), Map.of(), Optional.empty(), Optional.of("0123456789abcdef0123456789abcdef01234567"), "20261207")));
        List<String> ids = plan.jobs().stream().map(Job::id).toList();
        assertThat(ids).containsSubsequence("index/app", "attest/app", "push/app");
        assertThat(plan.job("attest/app").orElseThrow().needs()).containsExactly("index/app");
        assertThat(plan.job("push/app").orElseThrow().needs()).contains("attest/app");
        assertThat(plan.job("attest/attestations").orElseThrow().needs()).containsExactly("archive/bin");
        assertThat(plan.job("release/store").orElseThrow().needs()).contains("attest/attestations");
        assertThat(plan.buildOnly().jobs()).extracting(Job::id).contains("attest/app", "attest/attestations");
        assertThat(Capabilities.planText().render(plan))
                .contains("attest 127.0.0.1:5000/acme/app (cyclonedx, spdx, provenance, cosign signature)")
                .contains("attest archives and packages (cyclonedx, spdx, provenance, Sigstore bundles)");
    }

    @Test
    void aPromotionKeepsItsAttestJobsStandingOnTheCandidatesIndexAndFilesSoVerifyChecksThem() throws Exception {
        Spec spec = load(IMAGES + """
                attestations: { key: "${file:keys/release.asc}" }
                """);
        Plan plan = Capabilities.planner().plan(spec, ReleaseContext.resolve(spec, new ReleaseRequest(Optional.empty(),
                Optional.of("1.2.3"), Map.of(), Map.of(), Optional.empty(), Optional.of("0123456789abcdef0123456789abcdef01234567"), "20261207")));
        var access = new dev.cutter.plan.Action.Access("none", Optional.empty(), Optional.empty(), true, 0);
        Plan promoted = plan.promoting(Map.of("index/app", new dev.cutter.plan.Action.Source("127.0.0.1:5000/acme/app-dev", "1.2.3-rc1",
                access, Map.of(), true)), Map.of("archive/bin", new dev.cutter.plan.Action.Fetch("archive", "app.tar.gz",
                "sha256:" + "a".repeat(64), 1, List.of(), plan.job("archive/bin").orElseThrow().action())));
        assertThat(promoted.jobs(Action.Attest.class)).extracting(Planned::id).containsExactly("attest/app", "attest/attestations");
        assertThat(promoted.job("attest/app").orElseThrow().needs()).containsExactly("index/app");
        assertThat(promoted.job("index/app").orElseThrow().kind()).isEqualTo("source");
        assertThat(promoted.job("attest/attestations").orElseThrow().needs()).contains("archive/bin");
        assertThat(promoted.job("archive/bin").orElseThrow().kind()).isEqualTo("fetch");
        assertThat(promoted.jobs(Action.Image.class)).isEmpty();
        assertThat(promoted.verifying(Map.of()).jobs()).extracting(Job::id).contains("validate/attestations");
    }

    @Test
    void aKeySignsByDefaultTheChecksumsFileTooAndSignaturesFalseLeavesThem() throws Exception {
        Spec signed = load(IMAGES + """
                checksums: true
                attestations: { key: "${file:keys/release.asc}" }
                """);
        Plan plan = Capabilities.planner().plan(signed, ReleaseContext.resolve(signed, new ReleaseRequest(Optional.empty(),
                Optional.of("1.2.3"), Map.of(), Map.of(), Optional.empty(), Optional.empty(), "20261207")));
        assertThat(plan.job("attest/attestations").orElseThrow().needs()).containsExactly("archive/bin", "checksums/checksums");

        Spec unsigned = load(IMAGES + """
                checksums: true
                attestations: { key: "${file:keys/release.asc}", signatures: false }
                """);
        Plan without = Capabilities.planner().plan(unsigned, ReleaseContext.resolve(unsigned, new ReleaseRequest(Optional.empty(),
                Optional.of("1.2.3"), Map.of(), Map.of(), Optional.empty(), Optional.empty(), "20261207")));
        assertThat(without.job("attest/attestations").orElseThrow().needs()).containsExactly("archive/bin");
        assertThat(Capabilities.planText().render(without)).contains("attest 127.0.0.1:5000/acme/app (cyclonedx, spdx, provenance)  ←");
    }

    @Test
    void signaturesWithoutAKeyAreToldWhereTheyAreWritten() throws Exception {
        assertThat(errors(IMAGES + """
                attestations:
                  provenance: false
                  signatures: true
                """)).extracting(e -> e.location().line(), SpecError::path, e -> e.message().substring(0, 30))
                .containsExactly(tuple(16, "attestations.signatures", "signatures are made with the r"));
    }

    @Test
    void withoutTheSectionNothingIsPlanned() throws Exception {
        Spec spec = load(IMAGES);
        Plan plan = Capabilities.planner().plan(spec, ReleaseContext.resolve(spec, new ReleaseRequest(Optional.empty(),
                Optional.of("1.2.3"), Map.of(), Map.of(), Optional.empty(), Optional.empty(), "20261207")));
        assertThat(plan.jobs()).extracting(Job::kind).doesNotContain("attest");
    }
}
