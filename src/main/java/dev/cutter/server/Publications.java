package dev.cutter.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutter.ledger.Effect;
import dev.cutter.ledger.Ledger;
import dev.cutter.ledger.Run;
import dev.cutter.ledger.RunState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What is published where for one version of a project, from the ledger alone: every image tag
 * its plan publishes (each repository, replicas included) with the digest the ledger saw it
 * pushed at, and every other effect (release assets, package repositories, git tags). Answers
 * "did 1.7.8 reach every registry?": {@link View#complete()} is true when a release or promotion
 * of the version succeeded and every immutable tag of every publication has a recorded digest.
 * A floating tag ({@code latest}, {@code 1}) without one may rightly have stayed on a higher version.
 */
final class Publications {
    private Publications() {}

    /** One image tag the plan publishes, and the digest the ledger recorded for it, if any. */
    record Target(String registry, String repository, String tag, String kind, boolean floating, Optional<String> digest,
            Optional<String> run) {
        String reference() {
            return repository + ":" + tag;
        }
    }

    /**
     * @param runs    the version's releases and promotions, newest first
     * @param images  the plan's image tags, in plan order
     * @param others  effects that are not image tags (release assets, repositories, git tags), in order
     * @param missing the immutable tags with no recorded digest
     */
    record View(String project, String version, List<Run> runs, List<Target> images, List<Effect> others, boolean released,
            List<String> missing) {
        boolean complete() {
            return released && missing.isEmpty();
        }

        /** Per registry: how many of its tags are published, of how many. */
        Map<String, int[]> byRegistry() {
            Map<String, int[]> counts = new LinkedHashMap<>();
            for (Target t : images) {
                int[] c = counts.computeIfAbsent(t.registry(), k -> new int[2]);
                c[1]++;
                if (t.digest().isPresent()) {
                    c[0]++;
                }
            }
            return counts;
        }
    }

    static View of(Ledger ledger, String project, String version) {
        List<Run> runs = ledger.runsOf(project, version).stream().filter(r -> r.kind().publishes()).toList();
        Map<String, Effect> tagged = new LinkedHashMap<>();
        List<Effect> others = new ArrayList<>();
        for (Run run : runs.reversed()) {
            for (Effect e : ledger.effects(run.id())) {
                if (e.imageTag()) { // tagged, or found already at its digest (confirmed)
                    tagged.put(e.target(), e); // a later run's push of the same tag is the one that stands
                } else {
                    others.add(e);
                }
            }
        }
        List<Target> images = new ArrayList<>();
        if (!runs.isEmpty()) {
            JsonNode plan = plan(ledger, runs.getFirst().id());
            for (JsonNode p : plan.path("publications")) {
                String repository = p.path("repository").asText();
                List<String> floating = new ArrayList<>();
                p.path("floating").forEach(f -> floating.add(f.asText()));
                p.path("rolling").forEach(f -> floating.add(f.asText()));
                for (JsonNode tag : p.path("tags")) {
                    Effect e = tagged.remove(repository + ":" + tag.asText());
                    images.add(new Target(registry(repository), repository, tag.asText(), p.path("kind").asText(),
                            floating.contains(tag.asText()), Optional.ofNullable(e).map(Effect::after),
                            Optional.ofNullable(e).map(Effect::runId)));
                }
            }
        }
        others.addAll(0, tagged.values()); // tags the latest plan does not name (an earlier plan's)
        boolean released = runs.stream().anyMatch(r -> r.state() == RunState.SUCCEEDED);
        List<String> missing = images.stream().filter(t -> !t.floating() && t.digest().isEmpty()).map(Target::reference).toList();
        return new View(project, version, runs, images, others, released, missing);
    }

    /** {@code host[:port]} of a repository name, or {@code oci:DIR} of a layout's. */
    static String registry(String repository) {
        int slash = repository.indexOf('/');
        return slash < 0 ? repository : repository.substring(0, slash);
    }

    static JsonNode plan(Ledger ledger, String runId) {
        String record = ledger.planJson(runId).orElse("{}");
        try {
            JsonNode node = Answers.JSON.readTree(record);
            return node.has("plan") ? node.get("plan") : node;
        } catch (IOException e) {
            throw new IllegalStateException("the ledger's record of run " + runId + " is unreadable: " + e.getMessage(), e);
        }
    }

    static Map<String, Object> json(View v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("project", v.project());
        m.put("version", v.version());
        m.put("released", v.released());
        m.put("complete", v.complete());
        m.put("missing", v.missing());
        m.put("runs", v.runs().stream().map(r -> Map.of("id", r.id(), "kind", Views.lower(r.kind()), "state", Views.lower(r.state()))).toList());
        m.put("images", v.images().stream().map(t -> {
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("registry", t.registry());
            i.put("repository", t.repository());
            i.put("tag", t.tag());
            i.put("kind", t.kind());
            i.put("floating", t.floating());
            t.digest().ifPresent(d -> i.put("digest", d));
            t.run().ifPresent(r -> i.put("run", r));
            return i;
        }).toList());
        Map<String, Object> registries = new LinkedHashMap<>();
        v.byRegistry().forEach((k, c) -> registries.put(k, Map.of("published", c[0], "tags", c[1])));
        m.put("registries", registries);
        m.put("effects", v.others().stream().map(Views::effect).toList());
        return m;
    }
}
