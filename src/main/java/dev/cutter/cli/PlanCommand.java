package dev.cutter.cli;

import dev.cutter.plan.Plan;
import dev.cutter.plan.PlanJson;
import dev.cutter.plan.Planner;
import dev.cutter.plan.ReleaseContext;
import dev.cutter.spec.Spec;
import dev.cutter.spec.SpecLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec.Target;

/** {@code cutter plan}: every effect a release would have, without doing any. */
@Command(name = "plan", 
        description = "Show every job and publication a release would make, without making any.")
final class PlanCommand implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Mixin
    SpecOptions options;

    @Mixin
    ReleaseOptions release;

    @Option(names = "--json", description = "Print the plan as JSON (docs/plan-json.md).")
    boolean json;

    @picocli.CommandLine.Spec(Target.SELF)
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() {
        Spec spec = SpecLoader.load(options.file);
        Plan plan = Planner.plan(spec, ReleaseContext.resolve(spec, release.request(options.file, spec)));
        var out = command.commandLine().getOut();
        out.print(json ? PlanJson.write(plan) : PlanText.render(plan));
        out.flush();
        return ExitCode.OK;
    }
}
