package dev.cutter.kinds.build;

import dev.cutter.plan.Action;
import dev.cutter.plan.PlanStep;
import dev.cutter.plan.Planning;
import dev.cutter.plan.Planned;
import dev.cutter.spec.Cell;
import dev.cutter.spec.Template;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** One build job per matrix cell, after the builds it needs and the project's pins. */
final class BuildPlanning implements PlanStep {
    @Override
    public void plan(Planning planning) {
        var spec = planning.spec();
        List<String> pins = planning.jobs(Action.Pin.class).map(Planned::id).toList();
        for (BuildSpec build : inDependencyOrder(spec.sections().get(BuildSection.SECTION))) {
            if (!planning.selected("build", build.id())) {
                continue;
            }
            Optional<String> group = planning.group("build/" + build.id(), build.concurrency());
            for (Cell cell : planning.cells(build.matrix())) {
                List<String> outs = planning.paths(build.outputs(), cell);
                Template.ShellCommand command = planning.command(build.run(), cell, planning.render(build.env(), cell));
                String id = planning.add("build", build.id(), cell, List.of(), planning.buildsNamed(build.needs()).addAll(pins),
                        group, new Action.Build(command.text(), command.env(), build.dir(),
                                planning.paths(build.inputs(), cell), outs, build.timeout().map(java.time.Duration::toSeconds),
                                build.retries(), spec.execution().inheritEnv()));
                outs.forEach(o -> planning.output(o, id));
            }
        }
    }

    /** Builds ordered so each comes after the builds it needs (spec order otherwise; no cycles, the checks saw to it). */
    private static List<BuildSpec> inDependencyOrder(List<BuildSpec> builds) {
        Map<String, BuildSpec> byId = new LinkedHashMap<>();
        builds.forEach(b -> byId.put(b.id(), b));
        List<BuildSpec> ordered = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        for (BuildSpec build : builds) {
            place(build, byId, placed, ordered);
        }
        return ordered;
    }

    private static void place(BuildSpec build, Map<String, BuildSpec> byId, Set<String> placed, List<BuildSpec> ordered) {
        if (!placed.add(build.id())) {
            return;
        }
        for (String need : build.needs()) {
            BuildSpec dependency = byId.get(need);
            if (dependency != null) {
                place(dependency, byId, placed, ordered);
            }
        }
        ordered.add(build);
    }
}
