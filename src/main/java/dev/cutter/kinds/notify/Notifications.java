package dev.cutter.kinds.notify;

import dev.cutter.kinds.Capability;
import dev.cutter.plan.Action;
import dev.cutter.plan.ActionText;
import dev.cutter.plan.Job;
import dev.cutter.plan.Planning;
import dev.cutter.plan.Planning.Needs;
import dev.cutter.run.JobHandler;
import dev.cutter.spec.Cell;
import java.util.List;
import java.util.Optional;

/** Notifications: webhooks with the outcome, whatever it was; a failed one does not fail the release. */
public final class Notifications {
    private Notifications() {}

    public static final Capability CAPABILITY = new Capability("notify", List.of(NotifySection.SECTION),
            List.of(Notifications::plan),
            List.of(ActionText.of(Action.Notify.class, n -> n.format() + " webhook on " + String.join("/", n.on()))),
            services -> List.of(JobHandler.of(Action.Notify.class, new NotifyJob(services.http()))));

    /** One job per webhook, after every other job; none for a plan with nothing to do. */
    private static void plan(Planning planning) {
        if (planning.jobs().isEmpty()) {
            return;
        }
        List<String> all = planning.jobs().stream().map(Job::id).toList();
        for (NotifySpec n : NotifySection.SECTION.of(planning.spec())) {
            planning.add("notify", n.id(), Cell.EMPTY, List.of(), new Needs().addAll(all), Optional.empty(),
                    new Action.Notify(planning.render(n.url(), Cell.EMPTY), n.format(), n.on()));
        }
    }
}
