package dev.cutter.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutter.app.Services;
import dev.cutter.cli.Cutter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the ledger says is published where, when the targets already held a release: a run whose
 * pushes found every tag at its digest records that, so "what is published where" counts them;
 * and a release of the command line is in the server's audit trail.
 */
class PublishedWhereTest {
    @TempDir
    Path dir;

    ServerFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new ServerFixture(dir);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    /** {@code cutter release ARGS} in this process, as if run in the fixture's directory with its environment. */
    String cli(String... args) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("DEMO_SECRET", ServerFixture.SECRET);
        env.put("SOURCE_DATE_EPOCH", "1700000000");
        env.put("CI", "true");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Cutter.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), new Services(env, Clock.systemUTC(), dir))
                .execute(args);
        assertThat(exit).as(out + "\n" + err).isZero();
        return out.toString();
    }

    @Test
    void tagsAlreadyAtTheirDigestsCountAsPublishedAndTheVerdictHoldsNoFalseAlarm() throws Exception {
        // released first from another machine (another ledger): the server's run finds every tag already there
        cli("release", "-f", dir.resolve("cutter.yaml").toString(), "--version", "1.0.0", "--ledger", dir.resolve("elsewhere.db").toString());
        String releaser = fixture.token(Role.RELEASER);
        ServerFixture.Answer started = fixture.post("/api/releases", releaser, "{\"version\": \"1.0.0\"}");
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        String run = started.json().get("run").asText();
        assertThat(fixture.watch(run, releaser).getLast().data()).contains("\"state\":\"succeeded\"");

        JsonNode effects = fixture.get("/api/runs/" + run + "/effects", releaser).json().get("effects");
        assertThat(effects.toString()).as("the pushes changed nothing and say what they found")
                .contains("\"kind\":\"confirmed\"").doesNotContain("\"kind\":\"tag\"").doesNotContain("\"kind\":\"release\"");
        assertThat(effects.findValues("job").stream().map(JsonNode::asText).toList()).as("the release found in its store is confirmed too")
                .contains("push/app", "replicate/app/mirror", "release/main");
        JsonNode published = fixture.get("/api/releases/demo/1.0.0", releaser).json();
        assertThat(published.get("missing")).as(published.toString()).isEmpty();
        assertThat(published.get("complete").asBoolean()).isTrue();
        assertThat(published.get("registries").get("oci:oci-main").get("published").asInt()).isEqualTo(2);
        assertThat(published.get("registries").get("oci:oci-mirror").get("published").asInt()).isEqualTo(2);
        assertThat(published.get("effects").toString()).as("the release among the other effects, not as an image tag")
                .contains("releases/1.0.0\"");
    }

    @Test
    void onlyARepositoryAndAnOciTagReadAsAnImageTag() {
        java.util.function.Function<String, dev.cutter.ledger.Effect> confirmed = target -> new dev.cutter.ledger.Effect("r", "j",
                dev.cutter.ledger.Effect.CONFIRMED, target, java.util.Optional.empty(), "sha256:00", java.time.Instant.EPOCH);
        assertThat(confirmed.apply("oci:oci-main/demo/app:1.0.0").imageTag()).isTrue();
        assertThat(confirmed.apply("localhost:5000/demo/app:latest").imageTag()).isTrue();
        assertThat(confirmed.apply("dir:/srv/releases/v1.0.0").imageTag()).as("a release in a directory store").isFalse();
        assertThat(confirmed.apply("http://127.0.0.1:8080/releases/v1.0.0").imageTag()).as("a release on a server").isFalse();
        assertThat(confirmed.apply("dist/apt").imageTag()).as("a repository").isFalse();
        assertThat(confirmed.apply("file:///tmp/remote.git v1.0.0").imageTag()).as("a git tag").isFalse();
    }

    @Test
    void aReleaseOfTheCommandLineIsInTheAuditTrail() throws Exception {
        cli("release", "-f", dir.resolve("cutter.yaml").toString(), "--version", "2.0.0");
        JsonNode entries = fixture.get("/api/audit", fixture.token(Role.ADMIN)).json().get("entries");
        List<JsonNode> releases = new java.util.ArrayList<>();
        entries.forEach(e -> {
            if (e.get("action").asText().equals("release")) {
                releases.add(e);
            }
        });
        assertThat(releases).as(entries.toString()).singleElement().satisfies(e -> {
            assertThat(e.get("actor").asText()).startsWith("cli (");
            assertThat(e.get("subject").asText()).isEqualTo("demo 2.0.0");
            assertThat(e.get("outcome").asText()).startsWith("released r");
        });
    }
}
