package dev.cutter.kinds.image;

import dev.cutter.plan.Action;
import dev.cutter.plan.PlanException;
import dev.cutter.plan.PlanStep;
import dev.cutter.plan.Planning;
import dev.cutter.plan.Planning.Needs;
import dev.cutter.plan.Publication;
import dev.cutter.spec.Cell;
import dev.cutter.spec.MatrixSpec;
import dev.cutter.spec.Spec.RepositoryRef;
import dev.cutter.spec.Spec.TagPolicy;
import dev.cutter.spec.Spec.TagSpec;
import dev.cutter.version.FloatingTags;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Per image and cell of its other axes: one image job per platform, their index, the push with the
 * tags this release decides, and a replicate job per further repository.
 */
final class ImagePlanning implements PlanStep {
    private static final Pattern OCI_TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._]+");

    @Override
    public void plan(Planning planning) {
        for (ImageSpec image : planning.spec().sections().get(ImageSection.SECTION)) {
            if (!planning.selected("image", image.id())) {
                continue;
            }
            Map<Cell, List<Cell>> indexes = new LinkedHashMap<>();
            for (Cell cell : planning.cells(image.matrix())) {
                indexes.computeIfAbsent(cell.without(MatrixSpec.PLATFORM), k -> new ArrayList<>()).add(cell);
            }
            for (Map.Entry<Cell, List<Cell>> index : indexes.entrySet()) {
                image(planning, image, index.getKey(), index.getValue());
            }
        }
    }

    private static void image(Planning planning, ImageSpec image, Cell indexCell, List<Cell> platformCells) {
        var context = planning.context();
        Needs platformJobs = new Needs();
        List<String> platforms = new ArrayList<>();
        for (Cell cell : platformCells) {
            String platform = cell.get(MatrixSpec.PLATFORM).orElseThrow().key();
            platforms.add(platform);
            Needs needs = planning.buildsNamed(image.needs());
            Map<String, String> files = planning.files(image.files(), cell, needs);
            List<Map<String, String>> layers = new ArrayList<>();
            for (Map<String, dev.cutter.spec.Template> layer : image.layers()) {
                layers.add(planning.files(layer, cell, needs));
            }
            Optional<Action.DockerBuild> build = image.dockerfile().map(dockerfile -> {
                String file = planning.path(dockerfile, cell);
                String buildContext = image.context().map(t -> planning.path(t, cell)).orElse(".");
                planning.producers(file, needs);
                planning.producers(buildContext, needs);
                return new Action.DockerBuild(file, buildContext, planning.render(image.target(), cell),
                        new TreeMap<>(planning.render(image.args(), cell)), image.builder(), registries(planning));
            });
            Map<String, String> labels = new TreeMap<>(planning.render(image.labels(), cell));
            platformJobs.add(planning.add("image", image.id(), indexCell, List.of(slugOf(platform)), needs, Optional.empty(),
                    new Action.Image(platform, planning.render(image.from(), cell), build, files,
                            planning.render(image.entrypoint(), cell), planning.render(image.cmd(), cell),
                            planning.render(image.env(), cell), planning.render(image.workdir(), cell),
                            planning.render(image.user(), cell), labels, image.compression(), layers,
                            baseAccess(planning, planning.render(image.from(), cell)))));
        }
        String index = planning.add("index", image.id(), indexCell, List.of(), platformJobs, Optional.empty(),
                new Action.Index(List.copyOf(platforms), new TreeMap<>(planning.render(image.annotations(), indexCell))));

        List<String> tags = new ArrayList<>();
        List<String> floating = new ArrayList<>();
        List<String> rolling = new ArrayList<>();
        Map<String, String> lines = new TreeMap<>();
        for (TagSpec tag : image.tags()) {
            String text = planning.render(tag.template(), indexCell);
            if (text.isEmpty()) {
                continue; // a tag that renders empty is not made (data-driven optional tags)
            }
            if (!OCI_TAG.matcher(text).matches()) {
                throw new PlanException(planning.where(tag.template(), 0) + "tag '" + text + "' is not a valid OCI tag"
                        + " (letters, digits, '_', '.', '-'; at most 128; not starting with '.' or '-')"
                        + (text.contains("+") ? "; semver build metadata '+…' cannot be in a tag" : ""));
            }
            TagPolicy policy = tag.policy();
            if (policy != TagPolicy.IMMUTABLE && !context.channel().floating()) {
                continue; // this channel never moves floating tags (e.g. release candidates)
            }
            if (tags.contains(text)) {
                continue;
            }
            tags.add(text);
            if (policy == TagPolicy.FORWARD) {
                floating.add(text);
                lines.put(text, FloatingTags.lineOf(tag.template().source()).name().toLowerCase());
            } else if (policy == TagPolicy.ALWAYS) {
                rolling.add(text);
            }
        }
        RepositoryRef push = image.push().orElseThrow();
        if (!planning.targeted(push.registry())) {
            return;
        }
        String repository = planning.repository(push, indexCell);
        String pushJob = planning.add("push", image.id(), indexCell, List.of(), new Needs().add(index),
                planning.group("push/" + push.registry(), planning.spec().registries().get(push.registry()).concurrency()),
                new Action.Push(push.registry(), repository, List.copyOf(tags), List.copyOf(floating), lines,
                        List.copyOf(rolling), planning.access(push.registry())));
        planning.claim(repository, tags, pushJob, image.location());
        planning.publish(new Publication(image.id(), indexCell.labels(), "push", push.registry(), repository, "",
                List.copyOf(platforms), List.copyOf(tags), List.copyOf(floating), lines, List.copyOf(rolling), pushJob));

        for (ReplicateSpec replicate : planning.spec().sections().get(ReplicateSection.SECTION)) {
            if (!replicate.image().equals(image.id())) {
                continue;
            }
            Optional<String> group = planning.group("replicate/" + image.id(), replicate.concurrency());
            for (RepositoryRef to : replicate.to()) {
                if (!planning.targeted(to.registry())) {
                    continue;
                }
                String target = planning.repository(to, indexCell);
                if (target.equals(repository)) {
                    continue;
                }
                String job = planning.add("replicate", image.id(), indexCell, List.of(to.registry()), new Needs().add(pushJob),
                        group, new Action.Replicate(to.registry(), repository, target, List.copyOf(tags),
                                List.copyOf(floating), lines, List.copyOf(rolling), planning.access(to.registry())));
                planning.claim(target, tags, job, image.location());
                planning.publish(new Publication(image.id(), indexCell.labels(), "replica", to.registry(), target,
                        repository, List.copyOf(platforms), List.copyOf(tags), List.copyOf(floating), lines,
                        List.copyOf(rolling), job));
            }
        }
    }

    private static String slugOf(String text) {
        return UNSAFE.matcher(text).replaceAll("-");
    }

    /**
     * How the base image {@code from} is reached: as the spec's entry for its registry says (see
     * {@link BaseRegistries}); empty for {@code scratch}, a layout, or a registry the spec does not
     * name (the user's logins then).
     */
    static Optional<Action.Access> baseAccess(Planning planning, String from) {
        if (from.equals("scratch") || from.startsWith("oci:")) {
            return Optional.empty();
        }
        dev.cutter.oci.Repository base;
        try {
            base = dev.cutter.oci.ImageReference.parse(from).repository();
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // told by the image job as a bad reference
        }
        return BaseRegistries.of(registries(planning), base);
    }

    /** The spec's registries (not layouts) by address, with how each is reached; the first entry of an address wins. */
    static Map<String, Action.Access> registries(Planning planning) {
        Map<String, Action.Access> byAddress = new LinkedHashMap<>();
        for (var entry : planning.spec().registries().entrySet()) {
            if (entry.getValue().isLayout()) {
                continue;
            }
            String url = planning.render(entry.getValue().url().orElseThrow(), Cell.EMPTY);
            if (!url.startsWith("oci:") && !url.isBlank()) {
                byAddress.putIfAbsent(url, planning.access(entry.getKey()));
            }
        }
        return byAddress;
    }
}
