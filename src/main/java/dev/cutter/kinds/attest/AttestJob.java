package dev.cutter.kinds.attest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cutter.attest.Dsse;
import dev.cutter.attest.EnvelopeSigner;
import dev.cutter.attest.Provenance;
import dev.cutter.content.Digest;
import dev.cutter.kinds.image.ImageJobs;
import dev.cutter.ledger.Artifact;
import dev.cutter.oci.Descriptor;
import dev.cutter.oci.LayoutTarget;
import dev.cutter.oci.MediaTypes;
import dev.cutter.oci.OciLayout;
import dev.cutter.oci.Referrers;
import dev.cutter.plan.Action;
import dev.cutter.plan.Job;
import dev.cutter.plan.PlanJson;
import dev.cutter.run.ActionHandler;
import dev.cutter.run.JobContext;
import dev.cutter.run.JobFailure;
import dev.cutter.run.JobOutcome;
import dev.cutter.run.jobs.DistFiles;
import dev.cutter.run.jobs.SigningKeys;
import dev.cutter.sbom.Contents;
import dev.cutter.sbom.LayerListing;
import dev.cutter.sbom.Sbom;
import dev.cutter.sbom.SbomFile;
import dev.cutter.sbom.SbomFormat;
import dev.cutter.sign.OpenPgpKey;
import dev.cutter.http.Backoff;
import dev.cutter.http.HttpException;
import dev.cutter.http.Sender;
import dev.cutter.sigstore.CiIdentityTokens;
import dev.cutter.sigstore.CosignSignatures;
import dev.cutter.sigstore.EphemeralSigner;
import dev.cutter.sigstore.Fulcio;
import dev.cutter.sigstore.KeylessException;
import dev.cutter.sigstore.KeylessSigner;
import dev.cutter.sigstore.KeylessVerifier;
import dev.cutter.sigstore.Rekor;
import dev.cutter.sigstore.SigstoreBundle;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Makes the SBOMs and the provenance of what the jobs it needs made. An image's are attached in
 * the content store as OCI referrers of its platform manifests (SBOMs) and of its index
 * (provenance), so the push and every replica carry them along; an index that already has
 * Cutter's provenance keeps it (the first record of who made a digest stays). Archives' and
 * packages' are written beside them in {@code dist/}: {@code FILE.cdx.json}, {@code FILE.spdx.json}
 * and one {@code NAME.intoto.jsonl} with a signed statement over every file, with the key's
 * public half as {@code NAME.pub.pem} for verifiers. With signatures, the index and each platform
 * manifest get cosign's signature (a {@code .sig} tag and a referrer) and each archive, package and checksums file a
 * Sigstore bundle, {@code FILE.sigstore.json}.
 */
final class AttestJob implements ActionHandler<Action.Attest> {
    /** The kinds of files a Sigstore bundle is made for, beside the SBOMs and the statement. */
    static final List<String> SIGNED = List.of("archive", "package", "checksums");
    static final String PREDICATE_TYPE = Referrers.PREDICATE_TYPE;
    static final String CREATED = "org.opencontainers.image.created";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final Map<String, String> environment;
    private final HttpClient http;

    /**
     * {@code environment} holds the CI's identity token for keyless signing; with {@code http} it
     * reaches Fulcio, Rekor, and a candidate's release store, where a promotion finds its provenance.
     */
    AttestJob(Map<String, String> environment, HttpClient http) {
        this.environment = Map.copyOf(environment);
        this.http = http;
    }

    @Override
    public JobOutcome run(JobContext context, Action.Attest attest) throws Exception {
        Optional<EnvelopeSigner> signer = Optional.empty();
        // keyless signing signs the files without a key; a key given too still signs the provenance and images
        if (attest.provenance() || attest.signatures() && (attest.keyless().isEmpty() || attest.key().isPresent())) {
            OpenPgpKey key = SigningKeys.read(context, attest.key().orElseThrow(
                    () -> JobFailure.failed("provenance and signatures need attestations.key")), attest.passphrase());
            try {
                signer = Optional.of(EnvelopeSigner.of(key.fingerprint(), key.keyPair()));
            } catch (RuntimeException e) {
                throw JobFailure.failed(e.getMessage());
            }
        }
        if (attest.subject().equals("image")) {
            return promoted(context) ? CarriedAttestations.image(context, attest) : image(context, attest, signer);
        }
        return files(context, attest, signer);
    }

    /**
     * Whether this job stands on a promotion's jobs (the candidate's index fetched, its files taken
     * as published) rather than on what this run made.
     */
    static boolean promoted(JobContext context) {
        return context.job().needs().stream().map(id -> context.plan().job(id)).flatMap(Optional::stream)
                .anyMatch(j -> j.kind().equals("source") || j.kind().equals("fetch"));
    }

    private static Sbom.Tool tool() {
        String version = AttestJob.class.getPackage().getImplementationVersion();
        return new Sbom.Tool("cutter", version == null ? "dev" : version);
    }

    // ---- images ---------------------------------------------------------------------------------

    private JobOutcome image(JobContext context, Action.Attest attest, Optional<EnvelopeSigner> signer) throws Exception {
        Artifact indexArtifact = context.artifacts().ofJobs(context.job().needs()).stream().filter(a -> a.kind().equals("index"))
                .findFirst().orElseThrow(() -> JobFailure.failed("the image's index is missing from this run"));
        OciLayout store = ImageJobs.store(context);
        LayoutTarget target = new LayoutTarget(store);
        byte[] indexBytes = Files.readAllBytes(store.blob(indexArtifact.digest()));
        Descriptor index = new Descriptor(JSON.readTree(indexBytes).path("mediaType").asText(MediaTypes.OCI_INDEX),
                indexArtifact.digest(), indexBytes.length);
        Map<String, Action.Image> images = imagesByPlatform(context);
        String created = DateTimeFormatter.ISO_INSTANT.format(context.sourceDate());
        List<Provenance.Subject> subjects = new ArrayList<>(List.of(new Provenance.Subject(attest.name(), index.digest())));
        List<Provenance.Material> materials = new ArrayList<>();
        int attached = 0;
        for (JsonNode entry : JSON.readTree(indexBytes).path("manifests")) {
            if (entry.path("platform").path("os").asText().equals("unknown")) {
                continue; // an attestation entry, not an image
            }
            String platform = entry.path("platform").path("os").asText() + "/" + entry.path("platform").path("architecture").asText()
                    + (entry.path("platform").has("variant") ? "/" + entry.path("platform").path("variant").asText() : "");
            Digest digest = Digest.parse(entry.path("digest").asText());
            Descriptor manifest = new Descriptor(entry.path("mediaType").asText(MediaTypes.OCI_MANIFEST), digest, entry.path("size").asLong());
            subjects.add(new Provenance.Subject(attest.name() + "@" + platform, digest));
            Action.Image image = images.get(platform);
            Contents contents = new Contents(listed(image));
            JsonNode m = JSON.readTree(store.blob(digest).toFile());
            int read = 0;
            int taken = 0;
            for (JsonNode layer : m.path("layers")) {
                Digest blob = Digest.parse(layer.path("digest").asText());
                Optional<LayerListing.Listed> listing = LayerListing.read(LayerListing.directory(store.root()), blob);
                if (listing.isPresent()) { // a layer this run wrote: listed as it was written, not read again
                    contents.layer(listing.get());
                    taken++;
                    continue;
                }
                if (!store.hasBlob(blob)) {
                    continue; // a non-distributable layer the store does not hold
                }
                try (InputStream in = Files.newInputStream(store.blob(blob))) {
                    contents.layer(in, layer.path("mediaType").asText());
                }
                read++;
            }
            context.log().info(platform + ": " + read + " layers read, " + taken + " listed as they were written");
            contents.skipped().forEach(s -> context.log().info(platform + ": " + s + "; its packages are not listed"));
            List<dev.cutter.sbom.OsPackage> packages = contents.packages();
            Sbom sbom = new Sbom("image", attest.name(), context.plan().version(), digest, context.sourceDate(), tool(),
                    contents.files(), packages, contents.distribution());
            for (String name : attest.formats()) {
                SbomFormat format = SbomFormat.named(name);
                String type = format.mediaType();
                Referrers.attach(target, manifest, type, type, format.write(sbom), Map.of(CREATED, created));
                attached++;
            }
            if (image != null) {
                materials.addAll(materials(image, contents.files()));
            }
            context.log().info(platform + ": " + sbom.files().size() + " files, " + packages.size() + " OS packages");
        }
        if (signer.isPresent() && attest.provenance()) {
            boolean kept = Referrers.list(target, index.digest()).stream()
                    .anyMatch(r -> Provenance.SLSA_PROVENANCE.equals(r.manifest().annotations().get(PREDICATE_TYPE)));
            if (!kept) {
                Dsse envelope = provenance(context, attest, subjects, materials).signed(signer.get());
                Referrers.attach(target, index, Dsse.MEDIA_TYPE, Dsse.MEDIA_TYPE, envelope.toJson(),
                        Map.of(CREATED, created, PREDICATE_TYPE, Provenance.SLSA_PROVENANCE));
                attached++;
            } else {
                context.log().info("the index's provenance made earlier stays");
            }
        }
        if (attest.signatures() && (attest.keyless().isPresent() || signer.isPresent())) {
            // the index, which is tagged, and each platform manifest, which podman and skopeo check when they pull one
            CosignSignatures.Signing signing = attest.keyless().isPresent()
                    ? CosignSignatures.Signing.keyless(keyless(attest.keyless().get()), accepted(context, attest))
                    : CosignSignatures.Signing.key(signer.get());
            int signed;
            try {
                signed = CosignSignatures.signImage(target, index, attest.name(), signing);
            } catch (KeylessException e) {
                throw keylessFailure(attest.name() + "@" + index.digest(), e);
            }
            attached += signed;
            if (signed == 0) {
                context.log().info("the image's cosign signatures made earlier stay");
            }
        }
        return JobOutcome.done(attached + " attestations of " + index.digest() + " in the content store, carried by its pushes",
                List.of(), List.of());
    }

    /** The image jobs of this index, by platform: what they put where. */
    private static Map<String, Action.Image> imagesByPlatform(JobContext context) {
        Map<String, Action.Image> out = new LinkedHashMap<>();
        for (String need : context.job().needs()) {
            Optional<Job> index = context.plan().job(need);
            if (index.isEmpty()) {
                continue;
            }
            for (String imageJob : index.get().needs()) {
                context.plan().job(imageJob, Action.Image.class).ifPresent(j -> out.put(j.action().platform(), j.action()));
            }
        }
        return out;
    }

    /** The paths in the image Cutter put there: each {@code files:} and {@code layers:} destination and what is under it. */
    static Predicate<String> listed(Action.Image image) {
        if (image == null || image.build().isPresent()) {
            return path -> false; // a builder's output: its packages are listed, its files are the builder's
        }
        List<String> destinations = new ArrayList<>(image.files().keySet());
        image.layers().forEach(l -> destinations.addAll(l.keySet()));
        List<String> cleaned = destinations.stream().map(d -> d.replaceAll("^/+", "").replaceAll("/+$", "")).toList();
        return path -> cleaned.stream().anyMatch(d -> path.equals(d) || path.startsWith(d + "/"));
    }

    /** The project files of the image's layers, by the digest they have in it. */
    private static List<Provenance.Material> materials(Action.Image image, List<SbomFile> files) {
        List<Provenance.Material> out = new ArrayList<>();
        Map<String, String> sources = new LinkedHashMap<>(image.files());
        image.layers().forEach(sources::putAll);
        for (SbomFile file : files) {
            sources.forEach((dst, src) -> {
                String d = dst.replaceAll("^/+", "").replaceAll("/+$", "");
                if (file.path().equals(d)) {
                    out.add(Provenance.Material.of("file:" + src, file.sha256()));
                } else if (file.path().startsWith(d + "/")) {
                    out.add(Provenance.Material.of("file:" + src + "/" + file.path().substring(d.length() + 1), file.sha256()));
                }
            });
        }
        if (!image.from().equals("scratch") && image.build().isEmpty()) {
            int at = image.from().indexOf("@sha256:");
            out.add(new Provenance.Material("oci://" + image.from(), at < 0 ? Map.of()
                    : Map.of("sha256", image.from().substring(at + "@sha256:".length()))));
        }
        return out;
    }

    private static Provenance provenance(JobContext context, Action.Attest attest, List<Provenance.Subject> subjects,
            List<Provenance.Material> materials) throws IOException {
        var plan = context.plan();
        Path spec = context.projectDir().resolve(attest.spec());
        Digest specDigest = Files.isRegularFile(spec) ? Digest.sha256(spec) : Digest.sha256(new byte[0]);
        Digest planDigest = Digest.sha256(PlanJson.write(plan).getBytes(StandardCharsets.UTF_8));
        List<Provenance.Material> all = new ArrayList<>(materials);
        plan.sha().ifPresent(sha -> all.add(0, new Provenance.Material("git+file:" + context.projectDir().getFileName(),
                Map.of("gitCommit", sha))));
        return new Provenance(subjects, tool().version(), attest.spec(), specDigest, planDigest, plan.version(), plan.tag(),
                plan.channel(), plan.sha(), Optional.empty(), attest.vars(), all, context.runId(), context.runStarted(), Instant.now());
    }

    // ---- archives and packages ---------------------------------------------------------------------

    private JobOutcome files(JobContext context, Action.Attest attest, Optional<EnvelopeSigner> signer) throws Exception {
        List<Artifact> outputs = new ArrayList<>();
        List<Provenance.Subject> subjects = new ArrayList<>();
        List<Artifact> needed = context.artifacts().ofJobs(context.job().needs());
        List<Artifact> made = needed.stream().filter(a -> a.kind().equals("archive") || a.kind().equals("package")).toList();
        for (Artifact artifact : made) {
            Path file = context.projectDir().resolve(artifact.path());
            String name = file.getFileName().toString();
            subjects.add(new Provenance.Subject(name, artifact.digest()));
            Contents contents = new Contents(path -> true);
            contents.artifact(file, artifact.kind());
            Sbom sbom = new Sbom(artifact.kind(), name, context.plan().version(), artifact.digest(), context.sourceDate(), tool(),
                    contents.files(), contents.packages(), contents.distribution());
            for (String formatName : attest.formats()) {
                SbomFormat format = SbomFormat.named(formatName);
                outputs.add(write(context, file.resolveSibling(name + format.suffix()), format.write(sbom), "sbom"));
            }
        }
        boolean promoted = promoted(context);
        if (signer.isPresent() && attest.provenance() && !subjects.isEmpty()) {
            byte[] line;
            if (promoted) { // the first record of a digest stays: the candidate's statement, under this release's name
                line = CarriedAttestations.statement(context, made, environment, http).orElseThrow(() -> JobFailure.failed(
                        "the candidate's provenance of its archives and packages (a .intoto.jsonl naming " + made.stream()
                                .map(Artifact::name).toList() + ") is in none of the places they were taken from: a promotion"
                                + " carries it and makes none; keep the candidate's dist/ or publish it with its release's assets"));
            } else {
                Dsse envelope = provenance(context, attest, subjects, List.of()).signed(signer.get());
                line = (new String(envelope.toJson(), StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8);
            }
            outputs.add(write(context, DistFiles.resolve(context, "provenance", attest.name() + ".intoto.jsonl"), line, "provenance"));
        }
        List<Artifact> attestations = List.copyOf(outputs); // the SBOMs and the statement, signed as the files they describe
        Optional<KeylessSigner> keyless = attest.keyless().map(this::keyless);
        if (attest.signatures() && (signer.isPresent() || keyless.isPresent())) {
            List<Artifact> signed = new ArrayList<>(needed.stream().filter(a -> SIGNED.contains(a.kind())).toList());
            signed.addAll(attestations);
            for (Artifact artifact : signed) {
                Path file = context.projectDir().resolve(artifact.path());
                Path target = file.resolveSibling(file.getFileName() + SigstoreBundle.SUFFIX);
                if (keyless.isPresent()) {
                    Optional<Artifact> kept = keptKeyless(context, target, file, accepted(context, attest), signatureKind(artifact));
                    if (kept.isPresent()) {
                        outputs.add(kept.get());
                        continue;
                    }
                }
                SigstoreBundle bundle = keyless.isPresent() ? signKeyless(keyless.get(), file) : SigstoreBundle.sign(file, signer.get());
                outputs.add(write(context, target, bundle.toJson(), signatureKind(artifact)));
            }
        }
        outputs.addAll(OpenPgpSignatures.sign(context, attestations));
        if (signer.isPresent() && !subjects.isEmpty()) {
            outputs.add(write(context, context.distDir().resolve(attest.name() + ".pub.pem"),
                    signer.get().publicKeyPem().getBytes(StandardCharsets.UTF_8), "provenance"));
        }
        return JobOutcome.done(outputs.size() + " files for " + made.size() + " archives and packages", outputs, List.of());
    }

    /**
     * Whom the spec accepts keyless signatures of (its trusted root and identity), which a signature
     * made earlier must be to stay; empty when the spec names none, or its trusted root cannot be
     * read (the job's log says so, and what was made earlier is signed again).
     */
    private static Optional<KeylessVerifier> accepted(JobContext context, Action.Attest attest) {
        Optional<Action.Attest.Trusted> trusted = attest.keyless().flatMap(Action.Attest.Keyless::trusted);
        if (trusted.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(KeylessVerifier.read(context.projectDir(), trusted.get().trustedRoot(),
                    new KeylessVerifier.Identity(trusted.get().identity(), trusted.get().issuer())));
        } catch (IOException | IllegalArgumentException e) {
            context.log().info("keyless signatures made earlier are not kept: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Keyless signing with the spec's services and the CI's token, each failure tried again as the service asks. */
    private KeylessSigner keyless(Action.Attest.Keyless keyless) {
        Sender sender = new Sender(http, Backoff.STANDARD);
        Duration timeout = Duration.ofSeconds(60);
        return new EphemeralSigner(new CiIdentityTokens(environment, keyless.identityToken(), sender),
                new Fulcio(URI.create(keyless.fulcio()), sender, timeout), new Rekor(URI.create(keyless.rekor()), sender, timeout),
                Clock.systemUTC());
    }

    /**
     * A keyless bundle made earlier of the same file: it stays, since another would hold another
     * certificate and log entry (a release made again changes nothing). One that cannot be read,
     * of another digest, made with a key, or (with the spec's trusted root and identity) not
     * theirs is signed again.
     */
    private static Optional<Artifact> keptKeyless(JobContext context, Path bundle, Path file, Optional<KeylessVerifier> accepted,
            String kind) throws IOException {
        if (!Files.isRegularFile(bundle)) {
            return Optional.empty();
        }
        byte[] bytes = Files.readAllBytes(bundle);
        try {
            SigstoreBundle earlier = SigstoreBundle.parse(bytes);
            if (!earlier.sha256().equals(Digest.sha256(file)) || earlier.certificates().isEmpty() || earlier.tlogEntries().isEmpty()
                    || accepted.isPresent() && earlier.keylessRefusal(file, accepted.get()).isPresent()) {
                return Optional.empty();
            }
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        context.log().info(bundle.getFileName() + ": the keyless signature made earlier stays");
        return Optional.of(context.artifact(kind, bundle.getFileName().toString(), context.projectDir().relativize(bundle),
                Digest.sha256(bytes), bytes.length));
    }

    /** Signs {@code file} keyless; Fulcio's and Rekor's failures become the job's, retried where the service said "not now". */
    private static SigstoreBundle signKeyless(KeylessSigner signer, Path file) throws IOException {
        try {
            return signer.sign(file);
        } catch (KeylessException e) {
            throw keylessFailure(file.getFileName().toString(), e);
        }
    }

    /** Fulcio's or Rekor's failure to sign {@code what}, as the job's: unreachable (exit 4) when it did not answer or refused the token. */
    private static JobFailure keylessFailure(String what, KeylessException e) {
        boolean unreachable = e.getCause() instanceof HttpException h && (h.status() == 0 || h.status() == 401 || h.status() == 403);
        return new JobFailure(unreachable ? JobFailure.Kind.UNREACHABLE : JobFailure.Kind.FAILED, what + ": keyless signing failed: "
                + e.getMessage(), e.retryable(), e.retryAfter().orElse(null), e);
    }

    /**
     * The kind of a signature of {@code signed}: a signature of the statement differs from run to
     * run as the statement does, so it is kept with it as provenance (the first record stays).
     */
    static String signatureKind(Artifact signed) {
        return signed.kind().equals(Artifact.PROVENANCE) ? Artifact.PROVENANCE : "signature";
    }

    private static Artifact write(JobContext context, Path target, byte[] bytes, String kind) throws IOException {
        DistFiles.staging(context).write(target, temp -> {
            try (OutputStream out = Files.newOutputStream(temp)) {
                out.write(bytes);
            }
        });
        return context.artifact(kind, target.getFileName().toString(), context.projectDir().relativize(target), Digest.sha256(bytes),
                bytes.length);
    }
}
