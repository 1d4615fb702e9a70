package dev.cutter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The check of an API caller's vars against what the spec opens to the API. */
@org.junit.jupiter.api.Tag("security")
class VarPolicyTest {
    final VarPolicy policy = new VarPolicy(Set.of("CHANNEL_NOTE", "BUILD_TAGS"), Map.of("BUILD_TAGS", Pattern.compile("[a-z ]*")));

    @Test
    void aVarMarkedApiWhoseValueMatchesItsPatternPasses() {
        policy.check("demo", Map.of("BUILD_TAGS", "otlp zstd", "CHANNEL_NOTE", "anything; it has no pattern"));
    }

    @Test
    void aVarNotMarkedApiIsRefusedByName() {
        assertThatThrownBy(() -> policy.check("demo", Map.of("FLAGS", "-x")))
                .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.status()).isEqualTo(400))
                .hasMessageStartingWith("vars.FLAGS: ").hasMessageContaining("settable: BUILD_TAGS, CHANNEL_NOTE");
    }

    @Test
    void aValueMustMatchTheWholePatternAndIsNotEchoed() {
        assertThatThrownBy(() -> policy.check("demo", Map.of("BUILD_TAGS", "otlp $(id)")))
                .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.status()).isEqualTo(400))
                .hasMessageStartingWith("vars.BUILD_TAGS: ").hasMessageContaining("[a-z ]*").hasMessageNotContaining("$(id)");
    }

    @Test
    void theSpecOpensExactlyTheVarsItMarksApiWithTheirPatterns() {
        dev.cutter.spec.Spec spec = dev.cutter.kinds.Capabilities.specLoader().load(java.nio.file.Path.of("cutter.yaml"), """
                project: demo
                vars:
                  FLAGS: "-s -w"
                  NOTE: { default: "", api: true }
                  TAGS: { default: otlp, pattern: "[a-z ]*", api: true }
                """);

        VarPolicy of = VarPolicy.of(spec);

        assertThat(of.api()).containsExactlyInAnyOrder("NOTE", "TAGS");
        assertThat(of.pattern("TAGS")).hasValueSatisfying(p -> assertThat(p.pattern()).isEqualTo("[a-z ]*"));
        assertThat(of.pattern("NOTE")).isEmpty();
    }
}
