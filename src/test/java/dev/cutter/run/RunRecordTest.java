package dev.cutter.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutter.content.Digest;
import dev.cutter.plan.Plan;
import dev.cutter.plan.PlanJson;
import dev.cutter.plan.ReleaseContext;
import dev.cutter.plan.ReleaseRequest;
import dev.cutter.spec.Spec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A run's record and its plan's digest, written as the plan is streamed: the same as the plan's JSON text gives. */
class RunRecordTest {
    static Plan plan(String example, String version) {
        Spec spec = dev.cutter.kinds.Capabilities.specLoader().load(Path.of("examples", example, "cutter.yaml"));
        return dev.cutter.kinds.Capabilities.planner().plan(spec, ReleaseContext.resolve(spec, new ReleaseRequest(Optional.empty(),
                Optional.of(version), Map.of(), Map.of(), Optional.empty(), Optional.of("6d7d2a3fe8243809b3c3a710792c8498292e2fc3"),
                "20261203")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"serverless-init:1.7.8", "dbx-runtime:17.3.0", "km:0.9-beta", "veilid:0.4.1"})
    void theRecordAndTheDigestHoldThePlanAsItsJsonTextIs(String example) throws Exception {
        String[] parts = example.split(":");
        Plan plan = plan(parts[0], parts[1]);
        ReleaseRequest request = new ReleaseRequest(Optional.empty(), Optional.of(parts[1]), Map.of(), Map.of(), Optional.empty(),
                Optional.empty(), "20261203");
        ObjectMapper json = new ObjectMapper();

        String record = new RunRecord(Optional.of(request), plan, new RunRecord.Emitted(json.readTree("{\"repository\": \"r\"}"))).json();

        assertThat(Runs.digest(plan)).isEqualTo(Digest.sha256(PlanJson.write(plan).getBytes(StandardCharsets.UTF_8)).toString());
        assertThat(json.readTree(record).path("plan")).isEqualTo(json.readTree(PlanJson.write(plan)));
        assertThat(json.readTree(record).path("artifacts").path("repository").asText()).isEqualTo("r");
        assertThat(PlanJson.write(RunRecord.read(record).plan())).isEqualTo(PlanJson.write(plan));
        assertThat(record).startsWith("{\n  \"request\" : {");
    }
}
