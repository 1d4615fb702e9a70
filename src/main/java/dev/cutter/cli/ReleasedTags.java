package dev.cutter.cli;

import dev.cutter.ledger.Effect;
import dev.cutter.ledger.Ledger;
import dev.cutter.plan.Plan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the ledger knows of tags that releases published: which of them are immutable. A copy
 * made where there is no ledger (a fresh machine) knows nothing here and relies on a tag's shape.
 */
final class ReleasedTags implements AutoCloseable {
    private final Ledger ledger;

    private ReleasedTags(Ledger ledger) {
        this.ledger = ledger;
    }

    /** The ledger at {@code location} when there is one; a missing SQLite file is not created. */
    static ReleasedTags open(dev.cutter.app.Services services, String location) {
        boolean file = !location.contains("://");
        String path = location.startsWith("sqlite:") ? location.substring("sqlite:".length()) : location;
        if (file && !Files.isRegularFile(Path.of(path))) {
            return new ReleasedTags(null);
        }
        return new ReleasedTags(services.ledger(location));
    }

    /** The run that published {@code target} ({@code host/path:tag}) as an immutable tag, if any did. */
    Optional<String> immutable(String target) {
        if (ledger == null) {
            return Optional.empty();
        }
        int colon = target.lastIndexOf(':');
        String repository = target.substring(0, colon);
        String tag = target.substring(colon + 1);
        for (Effect effect : ledger.effectsOn(target)) {
            if (!effect.imageTag()) { // a run that found it already there confirms the same publication
                continue;
            }
            Optional<Plan> plan = ledger.planJson(effect.runId()).map(ReleasedTags::recordedPlan);
            boolean immutable = plan.stream().flatMap(p -> p.publications().stream())
                    .filter(p -> p.repository().equals(repository))
                    .anyMatch(p -> p.tags().contains(tag) && !p.floating().contains(tag));
            if (immutable) {
                return Optional.of(effect.runId());
            }
        }
        return Optional.empty();
    }

    private static Plan recordedPlan(String json) {
        try {
            return dev.cutter.run.RunRecord.read(json).plan();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new dev.cutter.plan.PlanException("a recorded plan cannot be read: " + e.getOriginalMessage());
        }
    }

    @Override
    public void close() {
        if (ledger != null) {
            ledger.close();
        }
    }
}
