package dev.cutter.kinds.validate;

import dev.cutter.kinds.Capability;
import dev.cutter.plan.Action;
import dev.cutter.plan.ActionText;
import dev.cutter.plan.Job;
import dev.cutter.plan.Kind;
import dev.cutter.plan.PlanText;
import dev.cutter.plan.Planning;
import dev.cutter.plan.Planning.Needs;
import dev.cutter.run.JobHandler;
import dev.cutter.spec.Cell;
import dev.cutter.spec.Template;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Checks after publication: commands, images, assets, package installs; they gate promotion. */
public final class Validations {
    private Validations() {}

    public static final Capability CAPABILITY = new Capability("validate", List.of(ValidateSection.SECTION),
            List.of(Validations::plan),
            List.of(ActionText.of(Action.Validate.class, v -> v.check() + v.run().map(r -> ": " + PlanText.abbreviate(r)).orElse(""))),
            services -> List.of(JobHandler.of(Action.Validate.class,
                    new ValidateJob(services.environment(), services.http(), services.registries(), services.ledger()))));

    /**
     * Whether the jobs planned so far publish what a check of kind {@code check} reads: an apt or yum
     * repository, a release's assets, an image's tags. A command ({@code run}) always runs. The
     * spec declares what each check reads (see {@link ValidateSection}); a channel that publishes
     * less (a prerelease published nowhere) plans the checks of what it does publish.
     */
    static boolean readsSomethingOf(String check, Planning planning) {
        return switch (check) {
            case "apt-install", "yum-install" -> planning.actions(Action.Repository.class)
                    .anyMatch(r -> r.type().equals(check.substring(0, check.indexOf('-'))));
            case "assets" -> planning.has(Action.Release.class);
            case "images" -> planning.has(Action.Push.class) || planning.has(Action.Replicate.class);
            case "attestations" -> planning.has(Action.Attest.class);
            default -> true;
        };
    }

    /** One job per check, after every job that publishes; a check of an image this plan does not make is left out. */
    private static void plan(Planning planning) {
        List<String> published = planning.jobs().stream().filter(j -> Kind.traitsOf(j).published()).map(Job::id).toList();
        for (ValidateSpec v : ValidateSection.SECTION.of(planning.spec())) {
            if (!planning.selected("validate", v.id())) {
                continue;
            }
            if (v.image().isPresent() && planning.entryJobs("index", v.image().get()).isEmpty()) {
                continue;
            }
            if (!readsSomethingOf(v.check(), planning)) {
                continue; // the channel's targets or --only left out all it reads: nothing to check
            }
            Map<String, String> env = planning.render(v.env(), Cell.EMPTY);
            Optional<Template.ShellCommand> command = v.run().map(t -> planning.command(t, Cell.EMPTY, env));
            Optional<String> run = command.map(Template.ShellCommand::text);
            Map<String, String> withValues = command.map(Template.ShellCommand::env).orElse(env);
            planning.add("validate", v.id(), Cell.EMPTY, List.of(), new Needs().addAll(published), Optional.empty(),
                    new Action.Validate(v.check(), run, v.image(), v.platform(), withValues,
                            v.timeout().map(java.time.Duration::toSeconds), planning.spec().execution().inheritEnv()));
        }
    }
}
