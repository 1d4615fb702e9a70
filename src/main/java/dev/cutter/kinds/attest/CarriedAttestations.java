package dev.cutter.kinds.attest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cutter.attest.Dsse;
import dev.cutter.attest.Provenance;
import dev.cutter.attest.check.StatementFacts;
import dev.cutter.content.Digest;
import dev.cutter.kinds.image.ImageJobs;
import dev.cutter.ledger.Artifact;
import dev.cutter.oci.LayoutTarget;
import dev.cutter.oci.OciLayout;
import dev.cutter.oci.Referrers;
import dev.cutter.plan.Action;
import dev.cutter.plan.Planned;
import dev.cutter.release.AssetInfo;
import dev.cutter.release.DirectoryStore;
import dev.cutter.release.ReleaseStore;
import dev.cutter.release.forge.ForgeStores;
import dev.cutter.run.JobContext;
import dev.cutter.run.JobFailure;
import dev.cutter.run.JobOutcome;
import dev.cutter.run.jobs.DistFiles;
import dev.cutter.sigstore.CosignSignatures;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A promotion's attestations: the candidate's, never made again (law 5). An image's SBOMs,
 * provenance and cosign signatures came into the content store with its index (the {@code source}
 * job reads the candidate's referrers and signature tags), so the pushes carry them digest for
 * digest; this checks that they are all there. The files' signed statement is the candidate's
 * {@code .intoto.jsonl}, found beside the candidate's files (where its run wrote them, or among its
 * release's assets) and published under the promoted release's name: the first record of a digest
 * stays.
 */
final class CarriedAttestations {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private CarriedAttestations() {}

    /** The candidate's attestations of the index the promotion fetched, each one required to be in the content store. */
    static JobOutcome image(JobContext context, Action.Attest attest) throws IOException {
        Artifact indexArtifact = context.artifacts().ofJobs(context.job().needs()).stream().filter(a -> a.kind().equals("index"))
                .findFirst().orElseThrow(() -> JobFailure.failed("the candidate's index is missing from this run"));
        OciLayout store = ImageJobs.store(context);
        LayoutTarget target = new LayoutTarget(store);
        Digest index = indexArtifact.digest();
        List<String> missing = new ArrayList<>();
        int carried = 0;
        List<Referrers.Referrer> top = Referrers.list(target, index);
        if (attest.provenance()) {
            long found = top.stream().filter(r -> Provenance.SLSA_PROVENANCE.equals(r.manifest().annotations().get(Referrers.PREDICATE_TYPE)))
                    .count();
            carried += (int) found;
            if (found == 0) {
                missing.add("the index's provenance");
            }
        }
        List<Map.Entry<String, Digest>> subjects = new ArrayList<>(List.of(Map.entry("the index", index)));
        for (JsonNode entry : JSON.readTree(store.blob(index).toFile()).path("manifests")) {
            JsonNode platform = entry.path("platform");
            if (platform.path("os").asText().equals("unknown")) {
                continue; // an attestation entry, not an image
            }
            String name = platform.path("os").asText() + "/" + platform.path("architecture").asText()
                    + (platform.has("variant") ? "/" + platform.path("variant").asText() : "");
            Digest digest = Digest.parse(entry.path("digest").asText());
            subjects.add(Map.entry(name, digest));
            Set<String> types = Referrers.list(target, digest).stream().map(Referrers.Referrer::artifactType).collect(Collectors.toSet());
            for (String format : attest.formats()) {
                String type = dev.cutter.sbom.SbomFormat.named(format).mediaType();
                if (types.contains(type)) {
                    carried++;
                } else {
                    missing.add(name + "'s " + format + " SBOM");
                }
            }
        }
        if (attest.signatures()) {
            for (var subject : subjects) {
                int signatures = CosignSignatures.read(target, subject.getValue()).size();
                carried += signatures;
                if (signatures == 0) {
                    missing.add(subject.getKey() + "'s cosign signature");
                }
            }
        }
        if (!missing.isEmpty()) {
            throw JobFailure.failed("the candidate's " + index + " lacks " + String.join(", ", missing) + ": a promotion publishes"
                    + " the candidate's attestations and makes none; promote a candidate released with attestations:");
        }
        return JobOutcome.done(carried + " of the candidate's attestations of " + index + " carried by the pushes, none made",
                List.of(), List.of());
    }

    /**
     * The candidate's signed statement over {@code subjects} (the files the promotion took, by
     * digest): the first {@code .intoto.jsonl} beside one of the places each was taken from whose
     * statement names every one of them. Empty when none does.
     */
    static Optional<byte[]> statement(JobContext context, Collection<Artifact> subjects, Map<String, String> environment,
            HttpClient http) {
        Set<String> digests = subjects.stream().map(a -> a.digest().hex()).collect(Collectors.toSet());
        List<String> seen = new ArrayList<>();
        for (String need : context.job().needs()) {
            Optional<Planned<Action.Fetch>> fetch = context.plan().job(need, Action.Fetch.class);
            if (fetch.isEmpty()) {
                continue;
            }
            for (Action.Origin origin : fetch.get().action().from()) {
                for (byte[] candidate : statementsAt(context, origin, environment, http)) {
                    String line = new String(candidate, StandardCharsets.UTF_8).strip();
                    if (seen.contains(line)) {
                        continue;
                    }
                    seen.add(line);
                    try {
                        StatementFacts facts = StatementFacts.read(Dsse.parse(line.getBytes(StandardCharsets.UTF_8)).payload());
                        if (facts.subjects().values().containsAll(digests)) {
                            return Optional.of((line + "\n").getBytes(StandardCharsets.UTF_8));
                        }
                    } catch (IllegalArgumentException e) {
                        // not a statement of Cutter's: another file of that name
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The {@code .intoto.jsonl} files beside the candidate's file at {@code origin}; none where it cannot be read. */
    private static List<byte[]> statementsAt(JobContext context, Action.Origin origin, Map<String, String> environment, HttpClient http) {
        List<byte[]> out = new ArrayList<>();
        try {
            switch (origin.kind()) {
                case "file" -> {
                    Path dir = context.projectDir().resolve(origin.target()).getParent();
                    if (dir != null && Files.isDirectory(dir)) {
                        try (Stream<Path> files = Files.list(dir)) {
                            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".intoto.jsonl")).sorted().toList()) {
                                out.add(Files.readAllBytes(f));
                            }
                        }
                    }
                }
                case "release" -> {
                    // the store as the candidate's release job opened it (a forge's token from its usual variable)
                    Optional<ReleaseStore> opened = origin.target().startsWith("dir:")
                            ? Optional.of(new DirectoryStore(context.projectDir().resolve(origin.target().substring(4)),
                                    DistFiles.staging(context)))
                            : ForgeStores.open(origin.target(), Optional.empty(), environment, http);
                    if (opened.isEmpty()) {
                        return out;
                    }
                    ReleaseStore store = opened.get();
                    var release = store.find(origin.release());
                    if (release.isPresent()) {
                        for (AssetInfo asset : release.get().assets()) {
                            if (asset.name().endsWith(".intoto.jsonl")) {
                                try (InputStream in = store.openAsset(origin.release(), asset.name())) {
                                    out.add(in.readNBytes(64 << 20));
                                }
                            }
                        }
                    }
                }
                default -> { } // a package repository holds packages, not their attestations
            }
        } catch (IOException | RuntimeException e) {
            context.log().info("the candidate's provenance is not readable at " + origin.target() + ": " + e.getMessage());
        }
        return out;
    }
}
