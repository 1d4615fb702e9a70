package dev.cutter.kinds.requires;

import dev.cutter.kinds.Capability;
import dev.cutter.plan.Action;
import dev.cutter.plan.ActionText;
import dev.cutter.plan.PlanException;
import dev.cutter.plan.PlanStep;
import dev.cutter.plan.Planning;
import dev.cutter.plan.Planning.Needs;
import dev.cutter.run.JobHandler;
import dev.cutter.run.requires.Requirements;
import dev.cutter.kinds.pin.PinSection;
import dev.cutter.kinds.pin.PinSpec;
import dev.cutter.spec.Cell;
import dev.cutter.spec.MatrixSpec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Upstream readiness: the releases of other projects a release depends on (the versions its pins
 * name), each a {@code require} job. Before the release's first job they are looked for, all at
 * once, and waited for up to their {@code wait:}; one that does not appear stops the release with
 * nothing done (exit 4). A component's requirements belong to its release, the others to the
 * project's.
 */
public final class Requires {
    private Requires() {}

    public static final Capability CAPABILITY = new Capability("requires", List.of(RequireSection.SECTION),
            List.of(PlanStep.alsoForComponents(Requires::plan)),
            List.of(ActionText.of(Action.Require.class, Requires::describe)),
            services -> {
                RequireJob require = new RequireJob(services.registries(), services.environment(), services.http());
                return List.of(JobHandler.of(Action.Require.class, require));
            });

    /** {@code {pins.ID}} in a requirement's tag or remote: the value the pin {@code ID} sets, as this release sets it. */
    static final String PINS = "pins";

    /** What a requirement is, as the plan and the messages say it: {@code git tag v0.10.0 of URL, waited for up to 30m}. */
    static String describe(Action.Require r) {
        String what = switch (r.source()) {
            case "git" -> "git tag " + r.tag() + " of " + r.from();
            case "release" -> "release " + r.tag() + " of " + r.from();
            default -> "image " + r.from() + ":" + r.tag();
        };
        return what + (r.waitSeconds() > 0 ? ", waited for up to " + Requirements.format(Duration.ofSeconds(r.waitSeconds())) : "");
    }

    /** The requirement alone, without its wait: what is waited for, and named when missing. */
    static String what(Action.Require r) {
        return describe(new Action.Require(r.source(), r.from(), r.tag(), 0, r.token(), r.access()));
    }

    /** Whether {@code store} names a forge's releases. */
    static boolean isForge(String store) {
        return dev.cutter.release.forge.ForgeStores.isForge(store);
    }

    private static void plan(Planning planning) {
        Optional<String> component = planning.context().component();
        for (RequireSpec r : RequireSection.SECTION.of(planning.spec())) {
            if (!r.component().equals(component)) {
                continue;
            }
            Cell pins = pins(planning, r);
            String tag = planning.render(r.tag(), pins);
            if (tag.isBlank()) {
                throw new PlanException(planning.where(r.tag().location()) + "requires: " + r.id() + ": the tag renders empty");
            }
            String from;
            Optional<Action.Access> access = Optional.empty();
            if (r.image().isPresent()) {
                from = planning.repository(r.image().get(), Cell.EMPTY);
                access = Optional.of(planning.access(r.image().get().registry()));
            } else {
                from = planning.render(r.from().orElseThrow(), pins);
                if (from.isBlank() || r.source().equals("release") && !isForge(from)) {
                    throw new PlanException(planning.where(r.from().get().location()) + "requires: " + r.id() + ": '" + from
                            + "' is no " + (r.source().equals("git") ? "git remote" : "forge's releases: write github:OWNER/REPO,"
                            + " gitlab:GROUP/PROJECT or gitea:HOST/OWNER/REPO"));
                }
            }
            planning.add("require", r.id(), Cell.EMPTY, List.of(), new Needs(), Optional.empty(), new Action.Require(r.source(), from,
                    tag, r.waitFor().map(Duration::toSeconds).orElse(0L), planning.render(r.token(), Cell.EMPTY), access));
        }
    }

    /** The values of the pins {@code r} names ({@code {pins.ID}}), rendered as the pins' own jobs render them. */
    private static Cell pins(Planning planning, RequireSpec r) {
        java.util.Set<String> named = new java.util.HashSet<>();
        java.util.stream.Stream.concat(java.util.stream.Stream.of(r.tag()), r.from().stream())
                .flatMap(t -> t.placeholders().stream()).filter(p -> p.head().equals(PINS)).forEach(p -> p.field().ifPresent(named::add));
        if (named.isEmpty()) {
            return Cell.EMPTY;
        }
        java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
        for (PinSpec pin : PinSection.SECTION.of(planning.spec())) {
            if (named.contains(pin.id()) && pin.digestOf().isEmpty()) {
                values.putIfAbsent(pin.id(), planning.render(pin.value(), Cell.EMPTY));
            }
        }
        return new Cell(java.util.Map.of(PINS, new MatrixSpec.AxisValue("", values)));
    }
}
