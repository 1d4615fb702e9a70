package dev.cutter.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutter.plan.Plan;
import dev.cutter.plan.PlanJson;
import dev.cutter.plan.ReleaseRequest;
import java.util.Optional;

/**
 * What the ledger keeps of a run beside its rows: the request it was planned from, the plan it
 * executed, and what its kind adds. Its JSON is {@code {"request":…, …origin's fields…, "plan":…}},
 * the form every ledger holds.
 *
 * @param request empty when another version of Cutter wrote a request this one cannot read
 */
public record RunRecord(Optional<ReleaseRequest> request, Plan plan, Origin origin) {
    private static final ObjectMapper JSON = PlanJson.mapper();

    /** What a run's kind adds to its record. */
    public sealed interface Origin {}

    /** A release (or a build) run here. */
    public record Released() implements Origin {}

    /** A release recorded for CI machines, whose jobs leave their outputs in {@code artifacts}. */
    public record Emitted(JsonNode artifacts) implements Origin {}

    /** A promotion of the candidate tagged {@code from}; {@code forced} when it had not passed its checks. */
    public record Promoted(String from, boolean forced) implements Origin {}

    /** A verification of what run {@code verifies} published, or of the push repositories when empty. */
    public record Verifying(Optional<String> verifies) implements Origin {}

    /** Where an emitted run's jobs leave their outputs; a missing node for any other run. */
    public JsonNode artifacts() {
        return origin instanceof Emitted e ? e.artifacts() : MissingNode.getInstance();
    }

    /** The record as the ledger stores it. */
    public String json() {
        ObjectNode node = JSON.createObjectNode();
        node.set("request", JSON.valueToTree(request.orElseThrow()));
        switch (origin) {
            case Released r -> { }
            case Emitted e -> node.set("artifacts", e.artifacts());
            case Promoted p -> {
                node.put("promotedFrom", p.from());
                node.put("forced", p.forced());
            }
            case Verifying v -> node.put("verifies", v.verifies().orElse(null));
        }
        // the plan is written into the record as it is streamed, not read back into a tree of its own
        java.io.StringWriter out = new java.io.StringWriter();
        try (com.fasterxml.jackson.core.JsonGenerator generator = JSON.getFactory().createGenerator(out)) {
            generator.setPrettyPrinter(new com.fasterxml.jackson.core.util.DefaultPrettyPrinter());
            generator.writeStartObject();
            for (var field : node.properties()) {
                generator.writeFieldName(field.getKey());
                JSON.writeTree(generator, field.getValue());
            }
            generator.writeFieldName("plan");
            PlanJson.write(plan, generator);
            generator.writeEndObject();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a plan and a request always serialize", e);
        }
        return out.toString();
    }

    /** Reads a record as any version of Cutter stored it. */
    public static RunRecord read(String json) throws JsonProcessingException {
        JsonNode node = JSON.readTree(json);
        Optional<ReleaseRequest> request;
        try {
            request = Optional.ofNullable(JSON.treeToValue(node.get("request"), ReleaseRequest.class));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            request = Optional.empty();
        }
        Origin origin = node.has("promotedFrom") ? new Promoted(node.get("promotedFrom").asText(), node.path("forced").asBoolean(false))
                : node.has("verifies") ? new Verifying(Optional.ofNullable(node.get("verifies")).filter(v -> !v.isNull()).map(JsonNode::asText))
                : node.has("artifacts") ? new Emitted(node.get("artifacts"))
                : new Released();
        return new RunRecord(request, PlanJson.read(node.path("plan")), origin);
    }
}
