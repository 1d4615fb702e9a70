package dev.cutter.attest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutter.content.Digest;
import dev.cutter.content.JsonDocument;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who made a release's subjects from what: an in-toto Statement v1 whose predicate is SLSA
 * provenance v1. Cutter is the builder (its id names Cutter and its version); the build type is
 * a Cutter release; the external parameters are what a person chose (the spec file and its
 * digest, the version, the tag, the source commit, the resolved vars); the internal ones the
 * plan's digest and the channel; the resolved dependencies every input by digest (base images,
 * files in layers, the source commit).
 */
public record Provenance(List<Subject> subjects, String builderVersion, String specFile, Digest specDigest, Digest planDigest,
        String version, String tag, String channel, Optional<String> commit, Optional<String> repository,
        Map<String, String> vars, List<Material> materials, String runId, Instant started, Instant finished) {

    /** The statement's type. */
    public static final String STATEMENT = "https://in-toto.io/Statement/v1";
    /** The predicate's type. */
    public static final String SLSA_PROVENANCE = "https://slsa.dev/provenance/v1";
    /** The build type: what the external parameters mean, documented in docs/supply-chain.md. */
    public static final String BUILD_TYPE = "https://cutter.dev/release/v1";
    /** The builder's id, with Cutter's version appended. */
    public static final String BUILDER = "https://cutter.dev/cutter@";

    public Provenance {
        subjects = List.copyOf(subjects);
        vars = new java.util.TreeMap<>(vars);
        materials = List.copyOf(materials);
    }

    /** A subject the statement is about: a name (an image repository, a file) and its digest. */
    public record Subject(String name, Digest digest) {}

    /**
     * An input by digest: {@code uri} names where it came from (a base image, a file, a commit);
     * {@code digest} maps algorithms to values ({@code sha256}, or {@code gitCommit} for a commit).
     */
    public record Material(String uri, Map<String, String> digest) {
        public Material {
            digest = new java.util.TreeMap<>(digest);
        }

        public static Material of(String uri, Digest digest) {
            return new Material(uri, Map.of(digest.algorithm(), digest.hex()));
        }
    }

    /** The statement's JSON bytes: the DSSE payload. */
    public byte[] statement() {
        ObjectNode root = JsonDocument.object();
        root.put("_type", STATEMENT);
        var subjectNodes = root.putArray("subject");
        for (Subject s : subjects) {
            ObjectNode n = subjectNodes.addObject();
            n.put("name", s.name());
            n.putObject("digest").put(s.digest().algorithm(), s.digest().hex());
        }
        root.put("predicateType", SLSA_PROVENANCE);
        ObjectNode predicate = root.putObject("predicate");
        ObjectNode definition = predicate.putObject("buildDefinition");
        definition.put("buildType", BUILD_TYPE);
        ObjectNode external = definition.putObject("externalParameters");
        ObjectNode spec = external.putObject("spec");
        spec.put("path", specFile);
        spec.putObject("digest").put(specDigest.algorithm(), specDigest.hex());
        external.put("version", version);
        external.put("tag", tag);
        commit.ifPresent(c -> external.put("commit", c));
        repository.ifPresent(r -> external.put("repository", r));
        ObjectNode varNodes = external.putObject("vars");
        vars.forEach(varNodes::put);
        ObjectNode internal = definition.putObject("internalParameters");
        internal.putObject("plan").putObject("digest").put(planDigest.algorithm(), planDigest.hex());
        internal.put("channel", channel);
        var deps = definition.putArray("resolvedDependencies");
        for (Material m : materials) {
            ObjectNode n = deps.addObject();
            n.put("uri", m.uri());
            ObjectNode digest = n.putObject("digest");
            m.digest().forEach(digest::put);
        }
        ObjectNode details = predicate.putObject("runDetails");
        ObjectNode builder = details.putObject("builder");
        builder.put("id", BUILDER + builderVersion);
        builder.putObject("version").put("cutter", builderVersion);
        ObjectNode metadata = details.putObject("metadata");
        metadata.put("invocationId", runId);
        metadata.put("startedOn", DateTimeFormatter.ISO_INSTANT.format(started));
        metadata.put("finishedOn", DateTimeFormatter.ISO_INSTANT.format(finished));
        return JsonDocument.compact(root);
    }

    /** The statement in a DSSE envelope signed by {@code signer}. */
    public Dsse signed(EnvelopeSigner signer) {
        return Dsse.sign(Dsse.IN_TOTO, statement(), signer);
    }
}
