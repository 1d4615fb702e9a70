package dev.cutter.plan;

import dev.cutter.spec.Spec;
import dev.cutter.spec.Spec.ComponentSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The order components are released in: each after every component it needs, otherwise as declared. */
public final class Components {
    private Components() {}

    /** Dependency order (stable: among the ready, the one declared first); the validator has refused cycles. */
    public static List<String> order(Spec spec) {
        List<ComponentSpec> left = new ArrayList<>(spec.components());
        Set<String> done = new LinkedHashSet<>();
        while (!left.isEmpty()) {
            ComponentSpec ready = left.stream().filter(c -> done.containsAll(c.needs())).findFirst()
                    .orElseThrow(() -> new PlanException("the components' needs form a cycle among "
                            + left.stream().map(ComponentSpec::id).toList()));
            done.add(ready.id());
            left.remove(ready);
        }
        return List.copyOf(done);
    }
}
