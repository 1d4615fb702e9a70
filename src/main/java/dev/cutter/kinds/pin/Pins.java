package dev.cutter.kinds.pin;

import dev.cutter.kinds.Capability;
import dev.cutter.kinds.image.ImageSection;
import dev.cutter.kinds.image.ImageSpec;
import dev.cutter.plan.Action;
import dev.cutter.plan.ActionText;
import dev.cutter.plan.PlanException;
import dev.cutter.plan.PlanStep;
import dev.cutter.plan.Planning;
import dev.cutter.plan.Planning.Needs;
import dev.cutter.plan.Planned;
import dev.cutter.run.JobHandler;
import dev.cutter.spec.Cell;
import dev.cutter.spec.MatrixSpec;
import dev.cutter.spec.Spec.RepositoryRef;
import dev.cutter.spec.Spec.TagPolicy;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Pins and module tags: values set in place in files of the checkout (formatting kept), committed,
 * and a component's module tag pushed on that commit, never moved. A project's own pins come
 * before its builds; a component's release is its pins and its tag.
 */
public final class Pins {
    private Pins() {}

    public static final Capability CAPABILITY = new Capability("pins", List.of(PinSection.SECTION, AfterPinsSection.SECTION, GitSection.SECTION),
            List.of(PlanStep.alsoForComponents(Pins::plan)),
            List.of(ActionText.of(Action.Pin.class, p -> p.kind() + " " + p.target() + " in " + p.file() + " = "
                            + p.digestOf().map(d -> "digest of " + d.repository() + ":" + d.tag()).orElse(p.value())),
                    ActionText.of(Action.Tag.class, t -> "git tag " + t.tag() + t.afterPins().stream()
                            .map(a -> ", after the pins: " + a.run() + (a.dir().equals(".") ? "" : " (in " + a.dir() + ")"))
                            .collect(java.util.stream.Collectors.joining()) + t.route().map(Pins::routeText).orElse(""))),
            services -> {
                TagJob tags = new TagJob(services.registries(), services.environment(), services.http());
                PinJob pin = new PinJob(services.registries());
                return List.of(JobHandler.of(Action.Pin.class, pin, pin::question),
                        JobHandler.of(Action.Tag.class, tags, tags::question));
            });

    private static void plan(Planning planning) {
        Optional<String> component = planning.context().component();
        Needs pins = new Needs();
        Needs upstreams = new Needs().addAll(planning.jobs(Action.Require.class)
                .map(Planned::id).toList()); // pins wait for the upstream releases they name (requires:)
        for (PinSpec pin : PinSection.SECTION.of(planning.spec())) {
            if (!pin.component().equals(component)) {
                continue;
            }
            String value = planning.render(pin.value(), Cell.EMPTY);
            pins.add(planning.add("pin", pin.id(), Cell.EMPTY, List.of(), upstreams, Optional.empty(),
                    new Action.Pin(planning.path(pin.file(), Cell.EMPTY), pin.kind(), pin.target(), pin.replace(),
                            value, pin.revertAfter(), pin.digestOf().map(id -> published(planning, id, pin)),
                            pin.digestOf().isPresent() ? Optional.empty() : existing(planning, pin, value))));
        }
        component.ifPresent(c -> planning.add("tag", c, Cell.EMPTY, List.of(), pins, Optional.empty(),
                new Action.Tag(planning.context().tag(), c, Optional.empty(), Optional.empty(),
                        AfterPinsSection.SECTION.of(planning.spec()).stream().filter(a -> a.component().equals(c))
                                .map(a -> afterPin(planning, a)).toList(), route(planning)))); // the module tag, on the pins' commit, never moved
    }

    /** The spec's {@code git:} as the tag job takes it; empty without one (origin, the checkout's branch, push). */
    static Optional<Action.GitRoute> route(Planning planning) {
        return GitSection.SECTION.of(planning.spec()).map(g -> new Action.GitRoute(g.remote(), g.branch(), g.via(), g.forge(),
                planning.render(g.token(), Cell.EMPTY), g.merge(), g.mergeWait().toSeconds(), g.poll().toSeconds()));
    }

    /** How the plan shows a route: where the pins go, and through what. */
    private static String routeText(Action.GitRoute r) {
        String branch = r.remote() + r.branch().map(b -> "/" + b).orElse("");
        return r.pullRequest() ? ", pins by pull request into " + branch + " on " + r.forge().orElse("?")
                + (r.merge().equals("auto") ? " (merged once its checks pass)" : " (merged by someone else)")
                + " within " + duration(r.waitSeconds()) : ", pins pushed to " + branch;
    }

    private static String duration(long s) {
        return s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    /** A command after the pins, its values kept out of its shell text as a build's are. */
    private static Action.AfterPin afterPin(Planning planning, AfterPinsSection.AfterPinSpec a) {
        dev.cutter.spec.Template.ShellCommand command = planning.command(a.run(), Cell.EMPTY, java.util.Map.of());
        return new Action.AfterPin(command.text(), command.env(), planning.path(a.dir(), Cell.EMPTY), a.inheritEnv());
    }

    /**
     * A kustomize {@code newTag} pin of an image this spec pushes names a tag the release pushes
     * (planned here, at the same version and {@code {sha}}) or one that must already exist: the
     * latter is returned, for the preflight to ask the registry. An image the spec does not make
     * (matched by id, or by the last part of its push repository) is not checked.
     */
    private static Optional<Action.Published> existing(Planning planning, PinSpec pin, String value) {
        if (!pin.kind().equals("kustomize-image") || !pin.target().endsWith("#newTag")) {
            return Optional.empty();
        }
        String name = pin.target().substring(0, pin.target().lastIndexOf('#'));
        for (ImageSpec image : ImageSection.SECTION.of(planning.spec())) {
            if (image.push().isEmpty()) {
                continue;
            }
            Set<String> repositories = new LinkedHashSet<>();
            Set<String> tags = new LinkedHashSet<>();
            for (Cell cell : planning.cells(image.matrix())) {
                Cell index = cell.without(MatrixSpec.PLATFORM);
                repositories.add(planning.repository(image.push().get(), index));
                image.tags().forEach(t -> tags.add(planning.render(t.template(), index)));
            }
            boolean named = image.id().equals(name) || repositories.stream().anyMatch(r -> r.equals(name) || r.endsWith("/" + name));
            if (!named) {
                continue;
            }
            if (tags.contains(value) || repositories.size() != 1) {
                return Optional.empty();
            }
            return Optional.of(new Action.Published(repositories.iterator().next(), value, planning.access(image.push().get().registry())));
        }
        return Optional.empty();
    }

    /**
     * Where image {@code id} is published at this version: its push repository and its first
     * immutable tag. An image published under several names (a matrix of variants) is refused:
     * which digest would the pin take?
     */
    private static Action.Published published(Planning planning, String id, PinSpec pin) {
        ImageSpec image = ImageSection.SECTION.find(planning.spec(), id).orElseThrow();
        Set<Cell> indexCells = new LinkedHashSet<>();
        for (Cell cell : planning.cells(image.matrix())) {
            indexCells.add(cell.without(MatrixSpec.PLATFORM));
        }
        if (indexCells.size() != 1) {
            throw new PlanException(planning.where(pin.location()) + "pins: image '" + id + "' is published in "
                    + indexCells.size() + " variants; digest-of needs an image with one");
        }
        Cell cell = indexCells.iterator().next();
        RepositoryRef push = image.push().orElseThrow();
        String tag = image.tags().stream().filter(t -> t.policy() == TagPolicy.IMMUTABLE)
                .map(t -> planning.render(t.template(), cell)).filter(t -> !t.isEmpty()).findFirst()
                .orElseThrow(() -> new PlanException(planning.spec().file() + ": pins: image '" + id
                        + "' has no immutable tag (such as \"{version}\") to read its digest by"));
        return new Action.Published(planning.repository(push, cell), tag, planning.access(push.registry()));
    }
}
