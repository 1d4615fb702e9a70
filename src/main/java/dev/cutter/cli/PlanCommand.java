package dev.cutter.cli;

import dev.cutter.plan.Plan;
import dev.cutter.plan.PlanJson;
import dev.cutter.plan.ReleaseContext;
import dev.cutter.spec.Spec;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cutter plan}: every effect a release would have, without doing any. */
@Command(footer = {"%nExamples:", "  cutter plan --tag v1.2.3", "  cutter plan --version 1.2.3 --only platform=linux/amd64 --json"},
        name = "plan",
        description = "Show every job and publication a release would make, without making any.")
final class PlanCommand extends SpecCommand {
    @Mixin
    ReleaseOptions release;

    @Mixin
    JsonOption json; // the plan's schema: docs/plan-json.md

    @Option(names = "--all", description = "Plan every component, in the order --all releases them (with --version).")
    boolean all;

    @Override
    int call(Spec spec, PrintWriter out) {
        if (all) {
            if (release.component != null || !release.versionGiven() || spec.components().isEmpty()) {
                throw new dev.cutter.plan.PlanException("--all plans every component at one version: give --version (not --tag or"
                        + " --component), in a spec that declares components");
            }
            List<String> plans = new ArrayList<>();
            for (String component : dev.cutter.plan.Components.order(spec)) {
                Plan plan = wiring.services().planner().plan(spec, ReleaseContext.resolve(spec, release.request(wiring.services(), wiring.file(), spec).withComponent(component)));
                plans.add(json.json ? PlanJson.write(plan).strip() : wiring.services().planText().render(plan));
            }
            out.print(json.json ? "[" + String.join(",\n", plans) + "]\n" : String.join("\n", plans));
            out.flush();
            return ExitCode.OK;
        }
        Plan plan = wiring.services().planner().plan(spec, ReleaseContext.resolve(spec, release.request(wiring.services(), wiring.file(), spec)));
        out.print(json.json ? PlanJson.write(plan) : wiring.services().planText().render(plan));
        out.flush();
        return ExitCode.OK;
    }
}
