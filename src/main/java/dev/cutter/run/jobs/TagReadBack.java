package dev.cutter.run.jobs;

import dev.cutter.content.Digest;
import dev.cutter.ledger.Effect;
import dev.cutter.oci.Descriptor;
import dev.cutter.oci.ImageTarget;
import dev.cutter.oci.RegistryException;
import dev.cutter.plan.Action;
import dev.cutter.plan.Plan;
import dev.cutter.run.ReadBack;
import dev.cutter.run.Secrets;
import dev.cutter.version.VersionScheme;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The run's last read: every tag a push or replica of the run created, moved or found already in
 * place (its {@code tag} and {@code confirmed} effects) is read from its repository again. An immutable tag must be at the digest the run put
 * there. A floating tag may have moved on only as the forward-only law moves it: to a higher
 * version of its line released since (decided again from the repository's tags now, as the push
 * decides). A rolling tag, and every tag of a rolling channel, moves with every release and is not
 * judged. The ledger names the run that moved a tag, when it recorded it.
 */
public record TagReadBack(Registries registries, TagLocks locks) implements ReadBack {
    private record Tagged(String repository, String tag, String digest, TagDecisions.Tags policy, Action.Access access) {}

    @Override
    public Found check(Plan plan, List<Effect> effects, Path projectDir, Secrets secrets) {
        if (plan.rolling()) {
            return new Found(List.of(), List.of());
        }
        Map<String, Tagged> tagged = new LinkedHashMap<>(); // the last effect on each tag is where the run left it
        for (Effect effect : effects) {
            if (!effect.imageTag()) { // what it found already there must still be there too
                continue;
            }
            int colon = effect.target().lastIndexOf(':');
            Optional<Action> action = plan.job(effect.jobId()).map(dev.cutter.plan.Job::action);
            Optional<Tagged> t = action.flatMap(a -> switch (a) {
                case Action.Push p -> Optional.of(new Tagged(p.repository(), effect.target().substring(colon + 1), effect.after(),
                        new TagDecisions.Tags(p.tags(), p.floating(), p.lines(), p.rolling()), p.access()));
                case Action.Replicate r -> Optional.of(new Tagged(r.repository(), effect.target().substring(colon + 1), effect.after(),
                        new TagDecisions.Tags(r.tags(), r.floating(), r.lines(), r.rolling()), r.access()));
                default -> Optional.empty();
            });
            t.filter(x -> !x.policy().rolling().contains(x.tag())).ifPresent(x -> tagged.put(effect.target(), x));
        }
        List<String> moved = new ArrayList<>();
        List<String> unread = new ArrayList<>();
        Map<String, ImageTarget> targets = new LinkedHashMap<>();
        for (var entry : tagged.entrySet()) {
            Tagged t = entry.getValue();
            ImageTarget target = targets.computeIfAbsent(t.repository(),
                    r -> registries.target(projectDir, secrets, r, Optional.of(t.access())));
            try {
                Optional<String> now = target.resolve(t.tag()).map(Descriptor::digest).map(Digest::toString);
                if (now.isPresent() && now.get().equals(t.digest())) {
                    continue;
                }
                if (now.isPresent() && t.policy().floating().contains(t.tag()) && movedOnByTheLaw(plan, target, t)) {
                    continue; // a higher version of its line took it, as it should
                }
                moved.add(entry.getKey() + (now.isEmpty() ? " is gone" : " points at " + now.get()) + ", not at " + t.digest()
                        + " where this run put it" + now.flatMap(d -> locks.taggedBy(entry.getKey(), d)).map(run -> " (moved by run " + run + ")")
                                .orElse(" (moved by someone this ledger does not know: another machine or ledger)"));
            } catch (RegistryException | IOException e) {
                unread.add(entry.getKey() + ": " + e.getMessage());
            }
        }
        return new Found(moved, unread);
    }

    /** Whether the forward-only law, decided again from the repository's tags now, leaves {@code t.tag()} to another version. */
    private static boolean movedOnByTheLaw(Plan plan, ImageTarget target, Tagged t) throws IOException {
        Map<String, String> existing = new LinkedHashMap<>();
        for (String tag : target.tags()) {
            existing.put(tag, t.policy().all().contains(tag) ? target.resolve(tag).map(d -> d.digest().toString()).orElse("") : "");
        }
        VersionScheme scheme = VersionScheme.of(plan.scheme());
        return TagDecisions.decide(scheme.parse(plan.version()), scheme, t.policy(), existing, t.digest(), false, false).stream()
                .anyMatch(d -> d.tag().equals(t.tag()) && d.kind() == TagDecisions.Kind.KEEP);
    }
}
