package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.oci.Credentials;
import dev.cutter.oci.RegistryClient;
import dev.cutter.oci.Repository;
import dev.cutter.testing.LocalRegistry;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serverless-init process (shared/seeds/000) against five real registries on loopback
 * standing in for the build registry, ECR, GCR, GAR and Docker Hub.
 */
@Tag("e2e")
class ServerlessInitReleaseTest {
    /** The five registries a release writes, then where the Dockerfiles' bases are (their own registry, the sixth). */
    static final List<String> VARS = List.of("BUILD_REGISTRY", "ECR", "GCR", "GAR", "DOCKERHUB", "BASES");
    static final RegistryClient CLIENT = new RegistryClient(HttpClient.newHttpClient(), Credentials.none(), Set.of());

    /**
     * The bases, made once for the class: every test only reads them, and a built image records
     * its base's name, the same for all.
     */
    static LocalRegistry bases;

    final List<LocalRegistry> registries = new ArrayList<>();
    @TempDir
    Path tmp;
    Path project;

    @BeforeAll
    static void releaseBases(@TempDir Path dir) throws Exception {
        bases = LocalRegistry.start();
        Projects.releaseBases(Projects.copy("serverless-init", dir.resolve("serverless-init")), "BASES", bases.address());
    }

    @AfterAll
    static void stopBases() throws Exception {
        bases.close();
    }

    @BeforeEach
    void start() throws Exception {
        for (int i = 0; i < VARS.size() - 1; i++) {
            registries.add(LocalRegistry.start());
        }
        registries.add(bases);
        project = Projects.copy("serverless-init", tmp.resolve("serverless-init"));
    }

    @AfterEach
    void stop() throws Exception {
        for (LocalRegistry r : registries.subList(0, VARS.size() - 1)) {
            r.close();
        }
    }

    CutterProcess.Result release(String tag, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("release", "--tag", tag));
        for (int i = 0; i < VARS.size(); i++) {
            args.add("--var");
            args.add(VARS.get(i) + "=" + registries.get(i).address());
        }
        args.addAll(List.of(more));
        return CutterProcess.inProcess(project, Map.of("SLACK_WEBHOOK", "http://127.0.0.1:9/unused"), args.toArray(String[]::new));
    }

    CutterProcess.Result promote(String from, String to, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("promote", "--from", from, "--to", to));
        for (int i = 0; i < VARS.size(); i++) {
            args.add("--var");
            args.add(VARS.get(i) + "=" + registries.get(i).address());
        }
        args.addAll(List.of(more));
        return CutterProcess.inProcess(project, Map.of("SLACK_WEBHOOK", "http://127.0.0.1:9/unused"), args.toArray(String[]::new));
    }

    CutterProcess.Result verify(String version) throws Exception {
        List<String> args = new ArrayList<>(List.of("verify", "--version", version));
        for (int i = 0; i < VARS.size(); i++) {
            args.add("--var");
            args.add(VARS.get(i) + "=" + registries.get(i).address());
        }
        return CutterProcess.inProcess(project, Map.of(), args.toArray(String[]::new));
    }

    /** Points {@code tag} of {@code repository} at what {@code other} points at: a replica changed behind the release's back. */
    static void retag(String repository, String tag, String other) {
        var repo = Repository.parse(repository);
        var manifest = CLIENT.getManifest(repo, other).orElseThrow();
        CLIENT.putManifest(repo, tag, manifest.mediaType(), manifest.bytes());
    }

    /** The build registry's repository and the four public ones, as host/path. */
    List<String> repositories(String suffix) {
        return List.of(registries.get(0).address() + "/ci/datadog-agent/serverless-init" + suffix,
                registries.get(1).address() + "/datadog/serverless-init" + suffix,
                registries.get(2).address() + "/datadoghq/serverless-init" + suffix,
                registries.get(3).address() + "/datadoghq/gcr.io/serverless-init" + suffix,
                registries.get(4).address() + "/datadog/serverless-init" + suffix);
    }

    public static Map<String, String> tags(String repository) {
        var repo = Repository.parse(repository);
        Map<String, String> out = new LinkedHashMap<>();
        for (String tag : CLIENT.tags(repo).stream().sorted().toList()) {
            out.put(tag, CLIENT.headManifest(repo, tag).orElseThrow().digest().toString());
        }
        return out;
    }

    @Test
    void theCandidateGoesToTheDevRepositoriesAndProductionGetsItsFloatingTagsInEveryRegistry() throws Exception {
        CutterProcess.Result rc = release("serverless-init-1.7.8-rc1");
        assertThat(rc.exit()).as(rc.out() + rc.err()).isZero();
        assertThat(rc.out()).contains("10 tags in 10 repositories point where they should");
        Map<String, String> devFirst = tags(repositories("-dev").get(0));
        assertThat(devFirst.keySet()).containsExactly("1.7.8-rc1", "1.7.8-rc1-alpine");
        for (String repo : repositories("-dev")) {
            assertThat(tags(repo)).as(repo).isEqualTo(devFirst);
        }
        for (String repo : repositories("")) {
            assertThat(tags(repo)).as("nothing reaches production from an RC: " + repo).isEmpty();
        }

        CutterProcess.Result prod = release("serverless-init-1.7.8");
        assertThat(prod.exit()).as(prod.out() + prod.err()).isZero();
        Map<String, String> first = tags(repositories("").get(0));
        assertThat(first.keySet()).containsExactly("1", "1-alpine", "1.7.8", "1.7.8-alpine", "latest", "latest-alpine");
        assertThat(first.get("latest")).isEqualTo(first.get("1.7.8")).isEqualTo(first.get("1")).isNotEqualTo(first.get("latest-alpine"));
        for (String repo : repositories("")) {
            assertThat(tags(repo)).as("every replica holds the same digests: " + repo).isEqualTo(first);
        }

        // built from the Dockerfiles on their two bases: files and labels as a runtime sees them
        String standard = repositories("").get(0) + ":1.7.8";
        String config = dev.cutter.oci.RegistryClientTest.skopeo("inspect", "--tls-verify=false", "--override-arch", "arm64",
                "--config", "docker://" + standard);
        assertThat(config).contains("\"architecture\": \"arm64\"").contains("\"com.datadoghq.variant\": \"standard\"")
                .contains("\"org.opencontainers.image.version\": \"1.7.8\"").contains("\"org.opencontainers.image.title\": \"debian\"")
                .contains("\"/datadog-init\"");
        Path root = DockerfileReleaseTest.unpack(standard, "arm64", tmp.resolve("standard"));
        assertThat(root.resolve("datadog-init")).content().contains("datadog-init linux/arm64");
        assertThat(root.resolve("dotnet.sh")).exists();
        assertThat(root.resolve("etc/os-release")).content().contains("Debian GNU/Linux 12");
        assertThat(root.resolve("bin/busybox")).isExecutable();
        String alpine = repositories("").get(4) + ":latest-alpine";
        assertThat(dev.cutter.oci.RegistryClientTest.skopeo("inspect", "--tls-verify=false", "--override-arch", "amd64", "--config",
                "docker://" + alpine)).contains("\"DD_LIBC=musl\"").contains("\"com.datadoghq.variant\": \"alpine\"")
                .contains("\"org.opencontainers.image.title\": \"alpine\"");
        Path alpineRoot = DockerfileReleaseTest.unpack(alpine, "amd64", tmp.resolve("alpine"));
        assertThat(alpineRoot.resolve("etc/os-release")).content().contains("Alpine Linux v3.20");
        assertThat(alpineRoot.resolve("datadog-init")).content().contains("datadog-init linux/amd64");
    }

    @Test
    void aPatchOfAnOlderLineLeavesLatestAndTheMajorTagOnTheNewest() throws Exception {
        CutterProcess.Result first = release("serverless-init-1.7.8");
        assertThat(first.exit()).as(first.out() + first.err()).isZero();
        Map<String, String> before = tags(repositories("").get(2));
        Files.writeString(project.resolve("src/main.go"), "package main // 1.6.9\n");
        Projects.git(project, "commit", "-qam", "backport");

        CutterProcess.Result older = release("serverless-init-1.6.9");

        assertThat(older.exit()).as(older.out()).isZero();
        assertThat(older.out()).contains("latest stays (1.6.9 is not the highest stable version of all (1.7.8 exists))");
        for (String repo : repositories("")) {
            Map<String, String> now = tags(repo);
            assertThat(now).as(repo).containsEntry("latest", before.get("latest")).containsEntry("1", before.get("1"))
                    .containsEntry("1.7.8", before.get("1.7.8")).containsKey("1.6.9");
            assertThat(now.get("1.6.9")).isNotEqualTo(before.get("1.7.8"));
        }
    }

    @Test
    void aReleasedVersionTagIsNeverMovedEvenWhenTheLedgerIsGone() throws Exception {
        CutterProcess.Result first = release("serverless-init-1.7.8");
        assertThat(first.exit()).as(first.out() + first.err()).isZero();
        Map<String, String> before = new LinkedHashMap<>();
        for (String repo : repositories("")) {
            before.put(repo, tags(repo).toString());
        }
        Files.writeString(project.resolve("serverless_init_dotnet.sh"), "#!/bin/sh\n# changed\nexec \"$@\"\n");
        KmReleaseTest.deleteTree(project.resolve(".cutter"));

        CutterProcess.Result again = release("serverless-init-1.7.8");

        assertThat(again.exit()).as(again.out()).isEqualTo(3);
        assertThat(again.out()).contains("tag 1.7.8 exists at").contains("a released version never changes");
        for (String repo : repositories("")) {
            assertThat(tags(repo).toString()).as(repo).isEqualTo(before.get(repo));
        }
        assertThat(Optional.of(again.out())).get().asString().doesNotContain("done      replicate/");
    }

    @Test
    void thePromotedReleaseHasExactlyTheCandidatesDigestsInEveryRegistryAndNothingIsRebuilt() throws Exception {
        CutterProcess.Result rc = release("serverless-init-1.7.8-rc1");
        assertThat(rc.exit()).as(rc.out() + rc.err()).isZero();
        Map<String, String> candidate = tags(repositories("-dev").get(0));
        Files.writeString(project.resolve("src/main.go"), "package main // changed after the candidate\n");
        Projects.git(project, "commit", "-qam", "a change that must not reach the promoted release");

        CutterProcess.Result promoted = promote("1.7.8-rc1", "1.7.8");

        assertThat(promoted.exit()).as(promoted.out() + promoted.err()).isZero();
        assertThat(promoted.out()).contains("promoted 1.7.8-rc1 to").doesNotContain("build/").doesNotContain("image/");
        for (String repo : repositories("")) {
            Map<String, String> tags = tags(repo);
            assertThat(tags.keySet()).as(repo).containsExactly("1", "1-alpine", "1.7.8", "1.7.8-alpine", "latest", "latest-alpine");
            assertThat(tags.get("1.7.8")).as(repo).isEqualTo(tags.get("latest")).isEqualTo(candidate.get("1.7.8-rc1"));
            assertThat(tags.get("1.7.8-alpine")).as(repo).isEqualTo(candidate.get("1.7.8-rc1-alpine"));
        }
        CutterProcess.Result again = promote("1.7.8-rc1", "1.7.8");
        assertThat(again.exit()).as(again.out() + again.err()).isZero();
    }

    @Test
    void theWholeCandidateFlowSaysAtEachStepWhatHappenedAndATamperedReplicaStopsThePromotion() throws Exception {
        CutterProcess.Result rc = release("serverless-init-1.7.8-rc1");
        assertThat(rc.exit()).as(rc.out() + rc.err()).isZero();
        assertThat(rc.out()).contains("passed against " + repositories("-dev").get(0) + ":1.7.8-rc1 (linux/amd64), "
                + repositories("-dev").get(0) + ":1.7.8-rc1-alpine (linux/amd64)");
        Map<String, String> candidate = tags(repositories("-dev").get(0));

        CutterProcess.Result verified = verify("1.7.8-rc1");
        assertThat(verified.exit()).as(verified.out() + verified.err()).isZero();
        assertThat(verified.out()).contains("ok      validate/every-replica: 10 tags in 10 repositories point where they should")
                .contains("ok      validate/smoke: passed against").contains("verified serverless-init 1.7.8-rc1 as run r");

        String gar = repositories("-dev").get(3);
        retag(gar, "1.7.8-rc1", "1.7.8-rc1-alpine");
        CutterProcess.Result tampered = verify("1.7.8-rc1");
        assertThat(tampered.exit()).as(tampered.out() + tampered.err()).isEqualTo(1);
        assertThat(tampered.out()).contains(gar + ":1.7.8-rc1 points at " + candidate.get("1.7.8-rc1-alpine") + ", not "
                + candidate.get("1.7.8-rc1") + " as released").contains("verification of serverless-init 1.7.8-rc1 failed");
        CutterProcess.Result refused = promote("1.7.8-rc1", "1.7.8");
        assertThat(refused.exit()).as(refused.out()).isEqualTo(3);
        assertThat(refused.out()).contains("cannot promote serverless-init-1.7.8-rc1: its verification r").contains("ended failed");
        for (String repo : repositories("")) {
            assertThat(tags(repo)).as("a refused promotion publishes nothing: " + repo).isEmpty();
        }

        retag(gar, "1.7.8-rc1", candidate.get("1.7.8-rc1"));
        assertThat(verify("1.7.8-rc1").exit()).isZero();
        CutterProcess.Result promoted = promote("1.7.8-rc1", "1.7.8");
        assertThat(promoted.exit()).as(promoted.out() + promoted.err()).isZero();
        assertThat(promoted.out()).contains("promoted 1.7.8-rc1 to").contains("passed against " + repositories("").get(0) + ":1.7.8 (linux/amd64)");
        for (String repo : repositories("")) {
            Map<String, String> tags = tags(repo);
            assertThat(tags.get("1.7.8")).as(repo).isEqualTo(tags.get("latest")).isEqualTo(tags.get("1"))
                    .isEqualTo(candidate.get("1.7.8-rc1"));
            assertThat(tags.get("latest-alpine")).as(repo).isEqualTo(candidate.get("1.7.8-rc1-alpine"));
        }

        // the promotion is verified by its own recorded plan: the labels the candidate was built with
        CutterProcess.Result production = verify("1.7.8");
        assertThat(production.exit()).as(production.out() + production.err()).isZero();
        assertThat(production.out()).contains("30 tags in 10 repositories point where they should, with the declared platforms and labels")
                .as("what the promotion fetched is known: only the checks run").doesNotContain("index/serverless-init/standard started");
        // a machine without this ledger reads the released digests from the push repositories; it cannot know
        // the images were promoted (built with 1.7.8-rc1's labels), so it does not judge their labels
        KmReleaseTest.deleteTree(project.resolve(".cutter"));
        retag(repositories("").get(1), "1.7.8", candidate.get("1.7.8-rc1-alpine"));
        CutterProcess.Result elsewhere = verify("1.7.8");
        assertThat(elsewhere.exit()).as(elsewhere.out() + elsewhere.err()).isEqualTo(1);
        assertThat(elsewhere.out()).contains(repositories("").get(1) + ":1.7.8 points at " + candidate.get("1.7.8-rc1-alpine"))
                .contains("verification of serverless-init 1.7.8 failed").doesNotContain(" label ");
    }

    @Test
    void aCandidateThatWasNeverReleasedHereIsNotPromotedWithoutForce() throws Exception {
        CutterProcess.Result refused = promote("1.7.9-rc1", "1.7.9");

        assertThat(refused.exit()).isEqualTo(3);
        assertThat(refused.out()).contains("cannot promote serverless-init-1.7.9-rc1: it was never released here");
        for (String repo : repositories("")) {
            assertThat(tags(repo)).as(repo).isEmpty();
        }
    }

    @Test
    void aCandidateWhoseValidationFailedIsPromotedOnlyWithForceAndTheLedgerSaysSo() throws Exception {
        Path spec = project.resolve("cutter.yaml");
        Files.writeString(spec, Files.readString(spec).replace("validate:\n", "validate:\n  - id: gate\n    run: test -z \"$FAIL_SMOKE\"\n")
                .replace("execution:\n", "execution:\n  inherit-env: [FAIL_SMOKE]   # a check sees only what it is given\n"));
        Projects.git(project, "commit", "-qam", "a smoke test");
        List<String> args = new ArrayList<>(List.of("release", "--tag", "serverless-init-1.7.8-rc1"));
        for (int i = 0; i < VARS.size(); i++) {
            args.addAll(List.of("--var", VARS.get(i) + "=" + registries.get(i).address()));
        }
        CutterProcess.Result rc = CutterProcess.inProcess(project, Map.of("SLACK_WEBHOOK", "http://127.0.0.1:9/unused", "FAIL_SMOKE", "1"),
                args.toArray(String[]::new));
        assertThat(rc.exit()).as(rc.out() + rc.err()).isNotZero(); // 4: its failure notice could not be sent either
        assertThat(rc.out()).contains("failed: validate/gate");

        CutterProcess.Result refused = promote("1.7.8-rc1", "1.7.8");
        CutterProcess.Result forced = promote("1.7.8-rc1", "1.7.8", "--force");

        assertThat(refused.exit()).isEqualTo(3);
        assertThat(refused.out()).contains("cannot promote serverless-init-1.7.8-rc1: its last run").contains("ended failed");
        assertThat(forced.exit()).as(forced.out() + forced.err()).isZero();
        CutterProcess.Result shown = CutterProcess.inProcess(project, Map.of(), "runs", "show", "last", "--json");
        assertThat(shown.exit()).as(shown.err()).isZero();
        assertThat(shown.out()).contains("\"promotedFrom\" : \"serverless-init-1.7.8-rc1\"").contains("\"forced\" : true");
        assertThat(tags(repositories("").get(4))).containsKeys("1.7.8", "latest");
    }

    @Test
    void aPromotionWhoseCandidateLacksAPlatformTheSpecNowDeclaresFailsItsCheck() throws Exception {
        CutterProcess.Result rc = release("serverless-init-1.7.8-rc1");
        assertThat(rc.exit()).as(rc.out() + rc.err()).isZero();
        Path spec = project.resolve("cutter.yaml");
        String text = Files.readString(spec);
        assertThat(text).contains("platforms: [linux/amd64, linux/arm64]");
        Files.writeString(spec, text.replace("platforms: [linux/amd64, linux/arm64]", "platforms: [linux/amd64, linux/arm64, linux/s390x]"));
        Projects.git(project, "commit", "-qam", "s390x too");

        CutterProcess.Result promoted = promote("1.7.8-rc1", "1.7.8");

        assertThat(promoted.exit()).as(promoted.out() + promoted.err()).isNotZero();
        assertThat(promoted.out()).contains("holds the platforms [linux/amd64, linux/arm64], not the declared [linux/amd64, linux/arm64, linux/s390x]");
    }
}
