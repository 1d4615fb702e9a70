package dev.cutter.run;

import dev.cutter.content.Digest;
import dev.cutter.ledger.Claim;
import dev.cutter.plan.Action;
import dev.cutter.plan.Job;
import dev.cutter.plan.Kind;
import dev.cutter.plan.Plan;
import dev.cutter.plan.PlanJson;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a release claims in the ledger: each publication of its plan — a publishing job (a push, a
 * replica, a repository, a release, a git tag) and its target — with a fingerprint of everything
 * it publishes as planned: that job and every job it needs, at the plan's version and commit. Two
 * releases of one version that plan a publication alike publish the same thing, so the later one
 * has nothing to do for it; planned otherwise, the two conflict. A plan that publishes nothing
 * claims the whole version, by its plan's digest.
 *
 * @param publications in plan order
 */
record PlanClaims(List<Publication> publications) {

    /**
     * One publication a plan makes.
     *
     * @param key         the job's id and its target, e.g. {@code push/app 127.0.0.1:5000/acme/app}
     * @param job         the publishing job's id (empty for the whole version)
     * @param fingerprint the digest of the plan cut down to that job and everything it needs
     */
    record Publication(String key, String job, String fingerprint) {}

    PlanClaims {
        publications = List.copyOf(publications);
    }

    /** The publications {@code plan} makes. */
    static PlanClaims of(Plan plan) {
        List<Publication> publications = plan.jobs().stream().filter(j -> Kind.traitsOf(j).published())
                .map(j -> new Publication(j.id() + " " + target(j.action()), j.id(), fingerprint(plan, j))).toList();
        return new PlanClaims(publications.isEmpty()
                ? List.of(new Publication(Claim.WHOLE_VERSION, "", Runs.digest(plan))) : publications);
    }

    /** Key to fingerprint, as {@link dev.cutter.ledger.Ledger#claim} takes them. */
    Map<String, String> fingerprints() {
        Map<String, String> out = new LinkedHashMap<>();
        publications.forEach(p -> out.put(p.key(), p.fingerprint()));
        return out;
    }

    /** The publication claimed under {@code key}. */
    Publication named(String key) {
        return publications.stream().filter(p -> p.key().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no publication " + key));
    }

    /** These claims, with {@code others}' for the publications these do not make. */
    PlanClaims and(PlanClaims others) {
        Set<String> keys = new HashSet<>(fingerprints().keySet());
        List<Publication> all = new java.util.ArrayList<>(publications);
        others.publications.stream().filter(p -> !keys.contains(p.key())).forEach(all::add);
        return new PlanClaims(all);
    }

    /** These claims, but only of the jobs {@code plan} has (a promotion keeps some of its target's). */
    PlanClaims within(Plan plan) {
        return new PlanClaims(publications.stream().filter(p -> p.job().isEmpty() || plan.job(p.job()).isPresent()).toList());
    }

    /** A publication as people read it: the job, and where it publishes. */
    static String shown(String key) {
        int space = key.indexOf(' ');
        return space < 0 ? key : key.substring(0, space) + " (" + key.substring(space + 1) + ")";
    }

    /** Where a publishing job publishes: what else of the same job would be another publication. */
    private static String target(Action action) {
        return switch (action) {
            case Action.Push p -> p.repository();
            case Action.Replicate r -> r.repository();
            case Action.Repository r -> r.publish();
            case Action.Release r -> r.store() + " " + r.name();
            case Action.Tag t -> t.tag();
            default -> "";
        };
    }

    /** The digest of {@code plan} cut down to {@code job} and every job whose work it takes in. */
    private static String fingerprint(Plan plan, Job job) {
        Set<String> closure = new HashSet<>(List.of(job.id()));
        plan.inputs(job).forEach(j -> closure.add(j.id()));
        Plan cut = new Plan(plan.schema(), plan.project(), plan.version(), plan.scheme(), plan.tag(), plan.channel(),
                plan.rolling(), plan.component(), plan.sha(), plan.jobs().stream().filter(j -> closure.contains(j.id())).toList(),
                List.of(), Map.of());
        return Digest.sha256(PlanJson.write(cut).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
