package dev.cutter.kinds.attest;

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
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code attestations.signatures.keyless}: read and checked where it is written, planned into the files' attest job, no network. */
class KeylessPlanTest {
    @TempDir
    Path project;

    private static final String FILES = """
            project: app
            archives:
              - { id: bin, name: app.tar.gz, format: tar.gz, files: [ { src: app.bin } ] }
            checksums: true
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

    private Plan plan(Spec spec) {
        return Capabilities.planner().plan(spec, ReleaseContext.resolve(spec, new ReleaseRequest(Optional.empty(),
                Optional.of("1.2.3"), Map.of(), Map.of(), Optional.empty(), Optional.empty(), "20261207")));
    }

    @Test
    void keylessSignsTheArchivesAndTheChecksumsFileWithoutAKey() throws Exception {
        Plan plan = plan(load(FILES + """
                attestations:
                  provenance: false
                  signatures:
                    keyless:
                      fulcio: https://fulcio.example.org
                      rekor: https://rekor.example.org/
                      identity-token: CI_SIGSTORE_TOKEN
                """));
        Action.Attest attest = (Action.Attest) plan.job("attest/attestations").orElseThrow().action();
        assertThat(plan.job("attest/attestations").orElseThrow().needs()).containsExactly("archive/bin", "checksums/checksums");
        assertThat(attest.key()).isEmpty();
        assertThat(attest.keyless()).contains(new Action.Attest.Keyless("https://fulcio.example.org", "https://rekor.example.org/",
                Optional.of("CI_SIGSTORE_TOKEN")));
        assertThat(Capabilities.planText().render(plan)).contains("attest archives and packages (cyclonedx, spdx, keyless Sigstore"
                + " bundles, https://fulcio.example.org, https://rekor.example.org/)");
        String json = PlanJson.write(plan);
        assertThat(json).contains("\"keyless\" : {\n        \"fulcio\" : \"https://fulcio.example.org\"");
        assertThat(PlanJson.read(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json))).isEqualTo(plan);
    }

    @Test
    void keylessAloneMeansSigstoresPublicInstancesAndTheTokenAsCiGivesIt() throws Exception {
        Plan plan = plan(load(FILES + """
                attestations: { provenance: false, signatures: { keyless: true } }
                """));
        Action.Attest attest = (Action.Attest) plan.job("attest/attestations").orElseThrow().action();
        assertThat(attest.keyless()).contains(new Action.Attest.Keyless("https://fulcio.sigstore.dev", "https://rekor.sigstore.dev",
                Optional.empty()));
    }

    /**
     * A pull request's build (and {@code rebuild --check}, which builds the same way) writes no
     * entry into a transparency log and asks for no identity token: keyless signing is the
     * release's, made once. A key's signatures, which are made again byte for byte, stay.
     */
    @Test
    void aBuildOnlyRunSignsNothingKeylessAndKeepsTheKeysSignatures() throws Exception {
        Plan keylessOnly = plan(load(FILES + """
                attestations: { provenance: false, signatures: { keyless: true } }
                """)).buildOnly();
        Action.Attest attest = (Action.Attest) keylessOnly.job("attest/attestations").orElseThrow().action();
        assertThat(attest.keyless()).isEmpty();
        assertThat(attest.signatures()).isFalse();
        assertThat(PlanJson.write(keylessOnly)).doesNotContain("keyless").doesNotContain("sigstore.dev");

        Plan both = plan(load(FILES + """
                attestations: { key: "${file:keys/release.asc}", signatures: { keyless: true } }
                """)).buildOnly();
        Action.Attest withKey = (Action.Attest) both.job("attest/attestations").orElseThrow().action();
        assertThat(withKey.keyless()).isEmpty();
        assertThat(withKey.signatures()).isTrue();
        assertThat(withKey.key()).isPresent();
    }

    @Test
    void aKeySignsAsBeforeAndItsPlanNamesNoKeyless() throws Exception {
        Plan plan = plan(load(FILES + """
                attestations: { key: "${file:keys/release.asc}" }
                """));
        assertThat(PlanJson.write(plan)).doesNotContain("keyless");
    }

    @Test
    void badUrlsATokenThatIsNotAVariableAndUnknownKeysAreToldWhereTheyAreWritten() throws Exception {
        assertThat(errors(FILES + """
                attestations:
                  provenance: false
                  signatures:
                    keyless:
                      fulcio: fulcio.example.org
                      rekor: ftp://rekor.example.org
                      identity-token: "${env:TOKEN}"
                      audience: sigstore
                """)).extracting(e -> e.location().line(), e -> e.location().column(), SpecError::path, e -> e.message().substring(0, 25))
                .containsExactlyInAnyOrder(
                        tuple(11, 7, "attestations.signatures.keyless.fulcio", "'fulcio.example.org' is n"),
                        tuple(12, 7, "attestations.signatures.keyless.rekor", "'ftp://rekor.example.org'"),
                        tuple(13, 7, "attestations.signatures.keyless.identity-token", "'${env:TOKEN}' is not an "),
                        tuple(14, 7, "attestations.signatures.keyless.audience", "unknown key; known keys h"));
    }

    /** An image is signed keyless as the files are: its attest job carries the services, and needs no key. */
    @Test
    void imagesAreSignedKeylessWithoutAKey() throws Exception {
        Plan plan = plan(load("""
                project: app
                registries:
                  r: { url: "127.0.0.1:5000" }
                images:
                  - { id: app, platforms: [linux/amd64], files: { /app: app.bin }, push: r/acme/app, tags: ["{version}"] }
                attestations:
                  provenance: false
                  signatures:
                    keyless: { fulcio: "https://fulcio.example.org", rekor: "https://rekor.example.org" }
                """));
        Action.Attest attest = plan.actions(Action.Attest.class).findFirst().orElseThrow();
        assertThat(attest.subject()).isEqualTo("image");
        assertThat(attest.key()).isEmpty();
        assertThat(attest.keyless()).contains(new Action.Attest.Keyless("https://fulcio.example.org", "https://rekor.example.org",
                Optional.empty()));
        assertThat(Capabilities.planText().render(plan)).contains("(cyclonedx, spdx, keyless cosign signature,"
                + " https://fulcio.example.org, https://rekor.example.org)");
        Action.Attest built = plan.buildOnly().actions(Action.Attest.class).findFirst().orElseThrow();
        assertThat(built.signatures()).isFalse(); // a pull request's build signs no image keyless
    }

    /**
     * Whom {@code check: attestations} accepts keyless signatures of: the trusted root, the identity
     * (rendered for the release) and the issuer, all three or none, each missing one named.
     */
    @Test
    void theTrustedRootIdentityAndIssuerAreGivenTogetherAndTheIdentityIsRendered() throws Exception {
        Plan plan = plan(load(FILES + """
                attestations:
                  provenance: false
                  signatures:
                    keyless:
                      trusted-root: sigstore/trusted_root.json
                      identity: "https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v{version}"
                      issuer: https://token.actions.githubusercontent.com
                """));
        Action.Attest attest = (Action.Attest) plan.job("attest/attestations").orElseThrow().action();
        assertThat(attest.keyless().orElseThrow().trusted()).contains(new Action.Attest.Trusted("sigstore/trusted_root.json",
                "https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v" + plan.version(),
                "https://token.actions.githubusercontent.com"));
        assertThat(PlanJson.read(new com.fasterxml.jackson.databind.ObjectMapper().readTree(PlanJson.write(plan)))).isEqualTo(plan);

        assertThat(errors(FILES + """
                attestations:
                  provenance: false
                  signatures:
                    keyless:
                      identity: "https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v{version}"
                """)).extracting(e -> e.location().line(), SpecError::path, e -> e.message().substring(0, 141))
                .containsExactly(tuple(11, "attestations.signatures.keyless.identity", "keyless signatures are checked against a"
                        + " trusted root, an identity and an issuer together; add trusted-root and issuer (e.g. trusted-root: si"));
    }

    @Test
    void anythingElseThanKeylessUnderSignaturesIsRefused() throws Exception {
        assertThat(errors(FILES + """
                attestations:
                  provenance: false
                  signatures: { cosign: true }
                """)).extracting(SpecError::path).contains("attestations.signatures.keyless");
    }
}
