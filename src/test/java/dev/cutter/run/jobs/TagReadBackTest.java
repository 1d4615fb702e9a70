package dev.cutter.run.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.content.Digest;
import dev.cutter.ledger.Effect;
import dev.cutter.ledger.JobSeed;
import dev.cutter.ledger.JobState;
import dev.cutter.ledger.Ledger;
import dev.cutter.ledger.NewRun;
import dev.cutter.ledger.Run;
import dev.cutter.ledger.RunKind;
import dev.cutter.oci.Descriptor;
import dev.cutter.oci.MediaTypes;
import dev.cutter.oci.OciLayout;
import dev.cutter.plan.Action;
import dev.cutter.plan.Job;
import dev.cutter.plan.Plan;
import dev.cutter.run.Masker;
import dev.cutter.run.ReadBack;
import dev.cutter.run.Secrets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run's last read of the tags it decided, against an OCI layout (the same port as a registry):
 * what counts as moved under the run, and what the forward-only law allows to have moved on.
 */
class TagReadBackTest {
    static final Action.Access ACCESS = new Action.Access("default", Optional.empty(), Optional.empty(), false, 0);

    @TempDir
    Path project;

    /** A distinct small index in the layout {@code oci:repo}, tagged {@code tags}. */
    Descriptor index(String name, String... tags) throws Exception {
        OciLayout layout = OciLayout.open(project.resolve("repo"));
        byte[] bytes = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[],\"annotations\":{\"n\":\""
                + name + "\"}}").getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(bytes);
        Path file = Files.write(project.resolve(name + ".json"), bytes);
        layout.putBlob(digest, file);
        Descriptor descriptor = new Descriptor(MediaTypes.OCI_INDEX, digest, bytes.length);
        for (String tag : tags) {
            layout.tag(tag, descriptor);
        }
        return descriptor;
    }

    static Plan plan(String version, boolean rolling) {
        Job push = new Job("push/app", "push", "app", List.of(), Map.of(), Optional.empty(), new Action.Push("local", "oci:repo",
                List.of(version, "latest", "sha"), List.of("latest"), Map.of("latest", "all"), List.of("sha"), ACCESS));
        return new Plan(1, "app", version, "semver", "v" + version, "stable", rolling, Optional.empty(), Optional.empty(),
                List.of(push), List.of(), Map.of());
    }

    /** A run of {@code plan} in {@code ledger} whose push recorded {@code tags} at {@code digest}. */
    static List<Effect> pushed(Ledger ledger, Plan plan, Descriptor at, String... tags) {
        Run run = ledger.startRun(new NewRun(RunKind.RELEASE, "app", plan.version(), plan.tag(), "stable", "sha256:" + "ab".repeat(32),
                "{}", List.of(new JobSeed("push/app", "push")), "builder-1", 1));
        List<Effect> effects = java.util.Arrays.stream(tags)
                .map(t -> new Effect(run.id(), "push/app", "tag", "oci:repo:" + t, Optional.empty(), at.digest().toString(), Instant.now()))
                .toList();
        ledger.jobFinished(run.id(), "push/app", JobState.SUCCEEDED, Optional.empty(), List.of(), effects);
        return ledger.effects(run.id());
    }

    ReadBack.Found check(Ledger ledger, Plan plan, List<Effect> effects) {
        TagReadBack readBack = new TagReadBack(new Registries(java.net.http.HttpClient.newHttpClient(), Map.of()), new TagLocks(ledger));
        return readBack.check(plan, effects, project, new Secrets(Map.of(), project, new Masker()));
    }

    @Test
    void tagsWhereTheRunPutThemAreClean() throws Exception {
        try (Ledger ledger = Ledger.open(project.resolve("ledger.db").toString())) {
            Descriptor mine = index("mine", "1.1.0", "latest");
            Plan plan = plan("1.1.0", false);

            assertThat(check(ledger, plan, pushed(ledger, plan, mine, "1.1.0", "latest")).clean()).isTrue();
        }
    }

    @Test
    void anImmutableTagAnotherRunMovedIsNamedWithBothDigestsAndThatRun() throws Exception {
        try (Ledger ledger = Ledger.open(project.resolve("ledger.db").toString())) {
            Descriptor mine = index("mine");
            Plan plan = plan("1.1.0", false);
            List<Effect> effects = pushed(ledger, plan, mine, "1.1.0");
            Descriptor theirs = index("theirs", "1.1.0");
            String winner = pushed(ledger, plan, theirs, "1.1.0").getFirst().runId();

            ReadBack.Found found = check(ledger, plan, effects);

            assertThat(found.moved()).singleElement().asString().contains("oci:repo:1.1.0 points at " + theirs.digest())
                    .contains("not at " + mine.digest()).contains("moved by run " + winner);
        }
    }

    @Test
    void aTagTheRunFoundAlreadyInPlaceIsReadBackToo() throws Exception {
        try (Ledger ledger = Ledger.open(project.resolve("ledger.db").toString())) {
            Descriptor mine = index("mine", "1.1.0");
            Plan plan = plan("1.1.0", false);
            Run run = ledger.startRun(new NewRun(RunKind.RELEASE, "app", plan.version(), plan.tag(), "stable", "sha256:" + "ab".repeat(32),
                    "{}", List.of(new JobSeed("push/app", "push")), "builder-1", 1));
            ledger.jobFinished(run.id(), "push/app", JobState.SKIPPED, Optional.empty(), List.of(), List.of(new Effect(run.id(),
                    "push/app", Effect.CONFIRMED, "oci:repo:1.1.0", Optional.of(mine.digest().toString()), mine.digest().toString(),
                    Instant.now())));
            Descriptor theirs = index("theirs", "1.1.0");

            assertThat(check(ledger, plan, ledger.effects(run.id())).moved()).singleElement().asString()
                    .contains("oci:repo:1.1.0 points at " + theirs.digest()).contains("not at " + mine.digest());
        }
    }

    @Test
    void aFloatingTagAHigherVersionTookSinceIsWhereTheLawPutsIt() throws Exception {
        try (Ledger ledger = Ledger.open(project.resolve("ledger.db").toString())) {
            Descriptor mine = index("mine", "1.1.0");
            Plan plan = plan("1.1.0", false);
            List<Effect> effects = pushed(ledger, plan, mine, "1.1.0", "latest");
            index("higher", "1.2.0", "latest");

            assertThat(check(ledger, plan, effects).clean()).isTrue();
        }
    }

    @Test
    void aFloatingTagMovedBackToALowerVersionMovedUnderTheRun() throws Exception {
        try (Ledger ledger = Ledger.open(project.resolve("ledger.db").toString())) {
            Descriptor mine = index("mine", "1.1.0");
            Plan plan = plan("1.1.0", false);
            List<Effect> effects = pushed(ledger, plan, mine, "1.1.0", "latest");
            Descriptor lower = index("lower", "1.0.5", "latest");

            assertThat(check(ledger, plan, effects).moved()).singleElement().asString()
                    .contains("oci:repo:latest points at " + lower.digest());
        }
    }

    @Test
    void rollingTagsAndRollingChannelsMoveWithEveryReleaseAndAreNotJudged() throws Exception {
        try (Ledger ledger = Ledger.open(project.resolve("ledger.db").toString())) {
            Descriptor mine = index("mine");
            Plan plan = plan("1.1.0", false);
            List<Effect> effects = pushed(ledger, plan, mine, "sha", "1.1.0");
            index("next", "sha", "1.1.0");

            assertThat(check(ledger, plan, effects).moved()).as("the rolling tag is not judged").singleElement().asString()
                    .contains("oci:repo:1.1.0");
            assertThat(check(ledger, plan("1.1.0", true), effects).clean()).as("a rolling channel").isTrue();
        }
    }
}
