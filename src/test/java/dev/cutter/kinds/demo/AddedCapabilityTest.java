package dev.cutter.kinds.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutter.kinds.Capabilities;
import dev.cutter.kinds.Capability;
import dev.cutter.plan.Action;
import dev.cutter.plan.Job;
import dev.cutter.plan.Kind;
import dev.cutter.plan.Plan;
import dev.cutter.plan.PlanText;
import dev.cutter.plan.Planner;
import dev.cutter.plan.Planning;
import dev.cutter.plan.ReleaseContext;
import dev.cutter.plan.ReleaseRequest;
import dev.cutter.spec.PlaceholderScope;
import dev.cutter.spec.Section;
import dev.cutter.spec.SectionChecks;
import dev.cutter.spec.SectionReader;
import dev.cutter.spec.Spec;
import dev.cutter.spec.SpecException;
import dev.cutter.spec.SpecLoader;
import dev.cutter.spec.Template;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A capability added from outside the pipeline's packages: this test's package and one line of a
 * list. Its section {@code smoke:} (commands run after publication) is read, checked and planned
 * by the same loader, validator and planner as every other, without a change to any of them.
 */
class AddedCapabilityTest {
    /** {@code smoke: [COMMAND…]}: each command runs as a check once everything is published. */
    static final class SmokeSection implements Section<List<Template>> {
        static final SmokeSection SECTION = new SmokeSection();

        @Override
        public String key() {
            return "smoke";
        }

        @Override
        public List<Template> read(SectionReader reader) {
            return reader.top().templates(key());
        }

        @Override
        public void check(List<Template> commands, SectionChecks checks) {
            commands.forEach(c -> checks.check(c, PlaceholderScope.none("smoke"), false));
        }
    }

    static final Capability SMOKE = new Capability("smoke", List.of(SmokeSection.SECTION), List.of((Planning planning) -> {
        List<String> published = planning.jobs().stream().filter(j -> Kind.traitsOf(j).published()).map(Job::id).toList();
        List<Template> commands = planning.spec().sections().get(SmokeSection.SECTION);
        for (int i = 0; i < commands.size(); i++) {
            var command = planning.command(commands.get(i), dev.cutter.spec.Cell.EMPTY, Map.of());
            planning.add("validate", "smoke-" + (i + 1), dev.cutter.spec.Cell.EMPTY, List.of(),
                    new Planning.Needs().addAll(published), Optional.empty(),
                    new Action.Validate("run", Optional.of(command.text()), Optional.empty(), Optional.empty(), command.env(),
                            Optional.empty(), List.of()));
        }
    }), List.of(), services -> List.of());

    /** The list of capabilities with the added one: the one line. */
    static final List<Capability> WITH_SMOKE = with(SMOKE);

    static List<Capability> with(Capability added) {
        List<Capability> all = new ArrayList<>(Capabilities.ALL);
        all.add(added);
        return all;
    }

    static SpecLoader loader(List<Capability> capabilities) {
        return new SpecLoader(capabilities.stream().flatMap(c -> c.sections().stream()).toList());
    }

    static final Path FILE = Path.of("demo", "cutter.yaml");

    static final String SPEC = """
            project: demo
            registries: { local: { layout: dist/oci } }
            images:
              - id: app
                platforms: [linux/amd64]
                files: { /etc/motd: motd }
                push: local/demo/app
                tags: ["{version}"]
            smoke:
              - ./smoke.sh {version}
            """;

    @Test
    void itsSectionIsReadCheckedAndPlannedLikeEveryOther() {
        Spec spec = loader(WITH_SMOKE).load(FILE, SPEC);
        assertThat(spec.sections().get(SmokeSection.SECTION)).extracting(Template::source).containsExactly("./smoke.sh {version}");

        Planner planner = new Planner(WITH_SMOKE.stream().flatMap(c -> c.steps().stream()).toList());
        Plan plan = planner.plan(spec, ReleaseContext.resolve(spec, new ReleaseRequest(Optional.empty(), Optional.of("1.2.3"),
                Map.of(), Map.of(), Optional.empty(), Optional.of("6d7d2a3fe8243809b3c3a710792c8498292e2fc3"), "20261207")));
        Job smoke = plan.job("validate/smoke-1").orElseThrow();
        assertThat(smoke.needs()).containsExactly("push/app");
        assertThat(((Action.Validate) smoke.action()).run()).contains("./smoke.sh 1.2.3");
        assertThat(new PlanText(WITH_SMOKE.stream().flatMap(c -> c.texts().stream()).toList()).render(plan))
                .containsPattern("validate/smoke-1 +run: \\./smoke\\.sh 1\\.2\\.3  ← push/app");
    }

    @Test
    void itsFaultsAreToldWithTheirPlaceLikeEveryOther() {
        assertThatThrownBy(() -> loader(WITH_SMOKE).load(FILE, SPEC.replace("{version}\n", "{versoin}\n")))
                .isInstanceOf(SpecException.class).hasMessageContaining("cutter.yaml:10:16: smoke[0]: unknown placeholder {versoin}; did you mean {version}?");
    }

    @Test
    void withoutItsLineTheKeyIsUnknown() {
        assertThatThrownBy(() -> loader(Capabilities.ALL).load(FILE, SPEC)).isInstanceOf(SpecException.class)
                .hasMessageContaining("smoke: unknown key");
    }
}
