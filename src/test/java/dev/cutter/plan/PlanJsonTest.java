package dev.cutter.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** A recorded plan reads back as the plan that was written: what verification and promotion run again. */
class PlanJsonTest {

    static Stream<Plan> seedPlans() {
        return Stream.of(
                Plans.example("serverless-init", "1.7.8-rc1"),
                Plans.example("serverless-init", "1.7.8"),
                Plans.example("dbx-runtime", "17.3.0"),
                Plans.exampleTag("km", "v0.9-beta"),
                Plans.example("veilid", "0.4.1"),
                Plans.plan(dev.cutter.kinds.Capabilities.specLoader().load(java.nio.file.Path.of("examples", "peer-pods", "cutter.yaml")),
                        Plans.request("0.10.0").withComponent("cloud-api-adaptor")));
    }

    @ParameterizedTest
    @MethodSource("seedPlans")
    void everySeedPlanReadsBackEqualAndWritesTheSameBytes(Plan plan) throws Exception {
        String json = PlanJson.write(plan);

        Plan read = PlanJson.read(PlanJson.mapper().readTree(json));

        assertThat(read).isEqualTo(plan);
        assertThat(PlanJson.write(read)).isEqualTo(json);
    }

    @Test
    void aPlanOfAnotherSchemaOrWithAnUnknownJobKindIsRefused() throws Exception {
        ObjectNode json = (ObjectNode) PlanJson.mapper().readTree(PlanJson.write(Plans.example("serverless-init", "1.7.8")));
        ObjectNode future = json.deepCopy().put("schema", 2);
        assertThatThrownBy(() -> PlanJson.read(future)).isInstanceOf(PlanException.class).hasMessageContaining("schema 2");

        ((ObjectNode) json.withArray("jobs").get(0)).put("kind", "teleport");
        assertThatThrownBy(() -> PlanJson.read(json)).isInstanceOf(PlanException.class).hasMessageContaining("unknown kind 'teleport'");
    }
}
