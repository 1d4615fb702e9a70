package dev.cutter.attest.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutter.attest.Provenance;
import dev.cutter.content.JsonDocument;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a verifier compares of a Cutter provenance statement: its subjects (name to SHA-256 in
 * hex), the spec's and the plan's digests, the version and tag, the source commit and the run id
 * ({@code invocationId}).
 */
public record StatementFacts(Map<String, String> subjects, String specDigest, String planDigest, String version, String tag,
        Optional<String> commit, String runId) {
    public StatementFacts {
        subjects = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(subjects));
    }

    /** Reads a statement (a DSSE payload); one that is not Cutter's SLSA provenance is an {@link IllegalArgumentException}. */
    public static StatementFacts read(byte[] payload) {
        JsonNode root = JsonDocument.read(payload, "its payload is not JSON");
        if (root == null || !Provenance.STATEMENT.equals(root.path("_type").asText())) {
            throw new IllegalArgumentException("its payload is not an in-toto Statement v1");
        }
        if (!Provenance.SLSA_PROVENANCE.equals(root.path("predicateType").asText())) {
            throw new IllegalArgumentException("its predicate is " + root.path("predicateType").asText() + ", not SLSA provenance v1");
        }
        Map<String, String> subjects = new LinkedHashMap<>();
        for (JsonNode s : root.path("subject")) {
            subjects.put(s.path("name").asText(), s.path("digest").path("sha256").asText());
        }
        JsonNode definition = root.path("predicate").path("buildDefinition");
        JsonNode external = definition.path("externalParameters");
        return new StatementFacts(subjects, "sha256:" + external.path("spec").path("digest").path("sha256").asText(),
                "sha256:" + definition.path("internalParameters").path("plan").path("digest").path("sha256").asText(),
                external.path("version").asText(), external.path("tag").asText(),
                external.hasNonNull("commit") ? Optional.of(external.path("commit").asText()) : Optional.empty(),
                root.path("predicate").path("runDetails").path("metadata").path("invocationId").asText());
    }
}
