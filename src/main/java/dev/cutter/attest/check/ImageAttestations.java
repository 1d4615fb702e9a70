package dev.cutter.attest.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cutter.attest.Dsse;
import dev.cutter.attest.Provenance;
import dev.cutter.content.Digest;
import dev.cutter.oci.DigestMismatchException;
import dev.cutter.oci.ImageTarget;
import dev.cutter.oci.Referrers;
import dev.cutter.sbom.Contents;
import dev.cutter.sbom.SbomFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Checks one published image's attestations in the repository that holds it: each platform
 * manifest's referrers hold an SBOM of each format the release writes, naming that manifest and
 * exactly the files the release put in its layers (the layers are read from the repository,
 * whiteouts applied, and hashed); the index's referrers hold one signed provenance that the
 * release key verifies, whose subjects are the index and every platform manifest.
 */
public final class ImageAttestations {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ImageAttestations() {}

    /**
     * What to expect of an image.
     *
     * @param where the repository, as problems name it
     * @param listed by platform, which paths the release put in that platform's layers; a platform
     *     without one (a promoted image, whose plan no longer says) is checked one way only: every
     *     file the SBOM lists is in the layers with its digest
     * @param formats the SBOM media types each platform must have
     * @param key the release's public key; empty when provenance is not written
     */
    public record Expected(String where, Digest index, Map<String, Predicate<String>> listed, List<String> formats,
            Optional<PublicKey> key) {
        public Expected {
            listed = Map.copyOf(listed);
            formats = List.copyOf(formats);
        }
    }

    /**
     * What the check found: problems (each naming the repository and digest), notes on what it
     * could not tell, the facts of each provenance whose signature verifies, and how many files
     * it compared.
     */
    public record Findings(List<String> problems, List<String> notes, List<Statement> provenance, int files) {
        public Findings {
            problems = List.copyOf(problems);
            notes = List.copyOf(notes);
            provenance = List.copyOf(provenance);
        }
    }

    /** One verified provenance: where it is ({@code REPO@INDEX provenance DIGEST}) and what it says. */
    public record Statement(String where, StatementFacts facts) {}

    public static Findings check(ImageTarget target, Expected expected) throws IOException {
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String at = expected.where() + "@" + expected.index();
        Optional<byte[]> indexBytes = target.getManifest(expected.index());
        if (indexBytes.isEmpty()) {
            return new Findings(List.of(expected.where() + " does not hold the released index " + expected.index()), notes,
                    List.of(), 0);
        }
        Map<String, Digest> platforms;
        try {
            platforms = platforms(indexBytes.get());
        } catch (IOException | IllegalArgumentException e) {
            return new Findings(List.of(at + " is not an image index: " + e.getMessage()), notes, List.of(), 0);
        }
        int files = 0;
        for (var platform : platforms.entrySet()) {
            String where = expected.where() + "@" + platform.getValue() + " (" + platform.getKey() + ")";
            Map<String, SbomListing> sboms = new LinkedHashMap<>();
            for (String type : expected.formats()) {
                for (var artifact : artifacts(target, platform.getValue(), type, Optional.empty(), where, problems).entrySet()) {
                    String sbom = type + " SBOM " + artifact.getKey();
                    try {
                        SbomListing listing = SbomListing.read(artifact.getValue(), type);
                        if (!listing.subject().equals(platform.getValue().hex())) {
                            problems.add(where + ": its " + sbom + " describes sha256:" + listing.subject() + ", not this manifest");
                        }
                        sboms.put(sbom, listing);
                    } catch (IllegalArgumentException e) {
                        problems.add(where + ": its " + sbom + " is unreadable: " + e.getMessage());
                    }
                }
            }
            if (sboms.isEmpty()) {
                continue;
            }
            Predicate<String> listed = expected.listed().get(platform.getKey());
            Map<String, String> held;
            try {
                held = files(target, platform.getValue(), listed != null ? listed
                        : path -> sboms.values().stream().anyMatch(s -> s.files().containsKey(path)), where);
            } catch (dev.cutter.oci.RegistryException e) {
                throw e;
            } catch (IOException | IllegalArgumentException e) {
                problems.add(where + ": its layers cannot be read, so its SBOMs cannot be compared with them: " + e.getMessage());
                continue;
            }
            files += held.size();
            for (var sbom : sboms.entrySet()) {
                List<String> differences = sbom.getValue().differences(held);
                if (listed == null) {
                    differences = differences.stream().filter(d -> !d.contains("but not in the SBOM")).toList();
                }
                for (String d : differences) {
                    problems.add(where + ": its " + sbom.getKey() + ": " + d);
                }
            }
            if (listed == null) {
                notes.add(where + ": the files the release put in the layers are not in this plan (a promotion's);"
                        + " the SBOM's files were found in the layers, files it leaves out cannot be told");
            }
        }
        List<Statement> facts = new ArrayList<>();
        if (expected.key().isPresent()) {
            for (var envelope : artifacts(target, expected.index(), Dsse.MEDIA_TYPE, Optional.of(Provenance.SLSA_PROVENANCE),
                    at, problems).entrySet()) {
                String where = at + " provenance " + envelope.getKey();
                Optional<StatementFacts> read = provenance(envelope.getValue(), expected.key().get(), where, problems);
                read.ifPresent(f -> {
                    List<String> missing = new ArrayList<>();
                    if (!f.subjects().containsValue(expected.index().hex())) {
                        missing.add("the index " + expected.index());
                    }
                    platforms.forEach((p, d) -> {
                        if (!f.subjects().containsValue(d.hex())) {
                            missing.add(p + " " + d);
                        }
                    });
                    if (!missing.isEmpty()) {
                        problems.add(where + ": its subjects do not name " + String.join(", ", missing)
                                + " (they are " + f.subjects().values() + ")");
                    }
                });
                read.ifPresent(f -> facts.add(new Statement(where, f)));
            }
        }
        return new Findings(problems, notes, facts, files);
    }

    /** Verifies and reads one envelope; its problems go to {@code problems}. */
    public static Optional<StatementFacts> provenance(byte[] bytes, PublicKey key, String where, List<String> problems) {
        Dsse envelope;
        try {
            envelope = Dsse.parse(bytes);
        } catch (IllegalArgumentException e) {
            problems.add(where + ": its provenance is unreadable: " + e.getMessage());
            return Optional.empty();
        }
        if (!envelope.verifiedBy(key)) {
            problems.add(where + ": its provenance's signature (key " + envelope.signatures().stream().map(Dsse.Signature::keyId)
                    .toList() + ") does not verify against the release key");
            return Optional.empty();
        }
        try {
            return Optional.of(StatementFacts.read(envelope.payload()));
        } catch (IllegalArgumentException e) {
            problems.add(where + ": its provenance is signed but " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The image manifests of an index by platform, attestation entries left out. */
    static Map<String, Digest> platforms(byte[] index) throws IOException {
        Map<String, Digest> out = new TreeMap<>();
        for (JsonNode entry : JSON.readTree(index).path("manifests")) {
            JsonNode p = entry.path("platform");
            if (p.isMissingNode() || p.path("os").asText().equals("unknown")) {
                continue;
            }
            out.put(p.path("os").asText() + "/" + p.path("architecture").asText()
                    + (p.has("variant") ? "/" + p.path("variant").asText() : ""), Digest.parse(entry.path("digest").asText()));
        }
        return out;
    }

    /**
     * The contents of {@code subject}'s referrers of {@code artifactType} (and predicate type), by
     * their manifests' digests, each read and checked against its digests; none at all, or one
     * unreadable, is a problem.
     */
    private static Map<Digest, byte[]> artifacts(ImageTarget target, Digest subject, String artifactType, Optional<String> predicate,
            String where, List<String> problems) throws IOException {
        List<Referrers.Referrer> found = Referrers.list(target, subject).stream()
                .filter(r -> r.artifactType().equals(artifactType))
                .filter(r -> predicate.isEmpty() || predicate.get().equals(r.manifest().annotations().get(Referrers.PREDICATE_TYPE)))
                .toList();
        String what = predicate.isPresent() ? "provenance (" + artifactType + ")" : artifactType + " SBOM";
        if (found.isEmpty()) {
            problems.add(where + " has no " + what + " among its referrers (referrers API, tag " + Referrers.fallbackTag(subject) + ")");
        }
        Map<Digest, byte[]> out = new LinkedHashMap<>();
        for (Referrers.Referrer referrer : found) {
            Digest digest = referrer.manifest().digest();
            read(target, subject, digest, what + " " + digest, where, problems).ifPresent(bytes -> out.put(digest, bytes));
        }
        return out;
    }

    private static Optional<byte[]> read(ImageTarget target, Digest subject, Digest digest, String what, String where,
            List<String> problems) throws IOException {
        Optional<byte[]> manifest = target.getManifest(digest);
        if (manifest.isEmpty()) {
            problems.add(where + ": its " + what + " is listed as a referrer but missing");
            return Optional.empty();
        }
        JsonNode m;
        Digest blob;
        long size;
        try {
            m = JSON.readTree(manifest.get());
            if (!m.path("subject").path("digest").asText().equals(subject.toString())) {
                problems.add(where + ": its " + what + " names the subject " + m.path("subject").path("digest").asText());
                return Optional.empty();
            }
            JsonNode layer = m.path("layers").path(0);
            if (layer.isMissingNode()) {
                problems.add(where + ": its " + what + " has no layer");
                return Optional.empty();
            }
            blob = Digest.parse(layer.path("digest").asText());
            size = layer.path("size").asLong(-1);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            problems.add(where + ": its " + what + " is not an artifact manifest: " + e.getMessage());
            return Optional.empty();
        }
        try {
            return Optional.of(target.getDocument(blob, size));
        } catch (DigestMismatchException e) {
            problems.add(where + ": its " + what + " holds a blob " + blob + " that does not have that digest");
            return Optional.empty();
        } catch (IOException e) {
            if (!target.hasBlob(blob)) {
                problems.add(where + ": its " + what + " lacks its blob " + blob);
            } else {
                problems.add(where + ": its " + what + " cannot be read: " + e.getMessage()); // too large, or not its declared size
            }
            return Optional.empty();
        }
    }

    /** The files of the image manifest {@code manifest} that {@code listed} selects, path to SHA-256, read from its layers. */
    private static Map<String, String> files(ImageTarget target, Digest manifest, Predicate<String> listed, String where)
            throws IOException {
        JsonNode m = JSON.readTree(target.getManifest(manifest).orElseThrow(() -> new IOException(where + " is missing")));
        Contents contents = new Contents(listed);
        for (JsonNode layer : m.path("layers")) {
            Digest blob = Digest.parse(layer.path("digest").asText());
            if (layer.path("mediaType").asText().contains("nondistributable") && !target.hasBlob(blob)) {
                continue; // a foreign layer the repository does not hold; the attest job did not read it either
            }
            Path temp = Files.createTempFile("cutter-layer", ".blob");
            try {
                Files.delete(temp);
                target.getBlob(blob, temp);
                try (InputStream in = Files.newInputStream(temp)) {
                    contents.layer(in, layer.path("mediaType").asText());
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        }
        Map<String, String> out = new TreeMap<>();
        for (SbomFile f : contents.files()) {
            out.put(f.path(), f.sha256().hex());
        }
        return out;
    }
}
