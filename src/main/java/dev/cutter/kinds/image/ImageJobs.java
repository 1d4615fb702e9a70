package dev.cutter.kinds.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cutter.content.Digest;
import dev.cutter.ledger.Artifact;
import dev.cutter.ledger.Effect;
import dev.cutter.oci.AssembledImage;
import dev.cutter.oci.Descriptor;
import dev.cutter.oci.ImageAssembler;
import dev.cutter.oci.ImageConfig;
import dev.cutter.oci.Layer;
import dev.cutter.oci.LayerBuilder;
import dev.cutter.oci.MediaTypes;
import dev.cutter.oci.OciLayout;
import dev.cutter.oci.Platform;
import dev.cutter.oci.ImageReference;
import dev.cutter.oci.ImageTarget;
import dev.cutter.oci.Puller;
import dev.cutter.oci.Pusher;
import dev.cutter.oci.RegistryClient;
import dev.cutter.oci.RegistryException;
import dev.cutter.oci.Repository;
import dev.cutter.plan.Action;
import dev.cutter.plan.Job;
import dev.cutter.plan.Plan;
import dev.cutter.run.JobContext;
import dev.cutter.run.JobFailure;
import dev.cutter.run.ActionHandler;
import dev.cutter.run.JobOutcome;
import dev.cutter.run.Preflight;
import dev.cutter.version.VersionScheme;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import dev.cutter.run.jobs.JobFailures;
import dev.cutter.run.jobs.ProjectFiles;
import dev.cutter.run.jobs.Registries;
import dev.cutter.run.jobs.TagDecisions;
import dev.cutter.run.jobs.TagLocks;

/**
 * Images without a daemon. The image job assembles one platform (file layer + config +
 * manifest) into the project's content store ({@code .cutter/oci}, itself an OCI layout); the
 * index job joins the platforms into one multi-arch index; push and replicate jobs copy the
 * index and every blob it reaches into a target repository and apply the tag decisions there.
 * Targets are OCI layout directories ({@code oci:DIR}) and registries.
 */
public final class ImageJobs {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private ImageJobs() {}

    public static OciLayout store(JobContext context) throws IOException {
        return OciLayout.open(context.projectDir().resolve(".cutter/oci"));
    }

    /**
     * One platform's image: assembled here from a base and file layers, or built from a Dockerfile
     * by an external builder ({@link DockerfileBuild}) and taken into the content store.
     */
    public record Image(Registries registries, DockerfileBuild builds) implements ActionHandler<Action.Image>, Preflight<Action.Image> {
        @Override
        public Optional<String> problem(Action.Image image) {
            if (image.build().isEmpty() && !image.from().equals("scratch")) {
                try {
                    ImageReference.parse(image.from());
                } catch (IllegalArgumentException e) {
                    return Optional.of("from: " + e.getMessage());
                }
            }
            return Optional.empty();
        }

        @Override
        public Optional<String> problem(Action.Image image, Path project) {
            return image.build().isPresent() ? builds.problem(image, project) : problem(image);
        }

        @Override
        public JobOutcome run(JobContext context, Action.Image image) throws Exception {
            if (image.build().isPresent()) {
                OciLayout store = store(context);
                Descriptor manifest = builds.build(context, image, store);
                return JobOutcome.done(image.platform() + " " + manifest.digest() + " (built by " + builds.builderOf(image) + ")",
                        List.of(context.artifact("image", image.platform(), context.projectDir().relativize(store.blob(manifest.digest())),
                                manifest.digest(), manifest.size())), List.of());
            }
            Map<String, Path> files = sources(context, image.files());
            List<Map<String, Path>> layerFiles = new ArrayList<>();
            for (Map<String, String> layer : image.layers()) {
                layerFiles.add(sources(context, layer));
            }
            OciLayout store = store(context);
            Path blobs = store.blobs();
            Platform platform = Platform.parse(image.platform());
            List<Layer> layers = new ArrayList<>();
            ImageConfig config = ImageConfig.created(context.sourceDate());
            if (!image.from().equals("scratch")) {
                ImageReference base = ImageReference.parse(image.from());
                Puller.Base pulled;
                try {
                    RegistryClient from = image.baseAccess().map(a -> registries.client(context, base.repository(), a))
                            .orElseGet(registries::dockerConfig);
                    pulled = Puller.base(from, base.repository(), base.reference(), platform, store);
                } catch (RegistryException e) {
                    throw JobFailures.of("base image " + image.from() + ": ", e);
                }
                layers.addAll(pulled.layers());
                config = inherit(config, pulled.config().path("config"));
            }
            for (Map<String, Path> layer : layerFiles) { // each its own blob: a layer that did not change is not sent again
                layers.add(layer(context, store, layer, image.compression()));
            }
            if (!files.isEmpty()) {
                layers.add(layer(context, store, files, image.compression()));
            }
            Map<String, String> env = new LinkedHashMap<>(config.env());
            env.putAll(image.env());
            Map<String, String> labels = new java.util.TreeMap<>(config.labels());
            labels.putAll(image.labels());
            config = config.withEnv(env).withLabels(labels);
            if (!image.entrypoint().isEmpty()) {
                config = config.withEntrypoint(image.entrypoint()).withCmd(image.cmd());
            } else if (!image.cmd().isEmpty()) {
                config = config.withCmd(image.cmd());
            }
            if (image.workdir().isPresent()) {
                config = config.withWorkdir(image.workdir().get());
            }
            if (image.user().isPresent()) {
                config = config.withUser(image.user().get());
            }
            AssembledImage assembled = ImageAssembler.assemble(platform, layers, config, blobs);
            Descriptor manifest = assembled.manifest();
            return JobOutcome.done(image.platform() + " " + manifest.digest(), List.of(context.artifact("image",
                    image.platform(), context.projectDir().relativize(store.blob(manifest.digest())),
                    manifest.digest(), manifest.size())), List.of());
        }
    }

    /** The project files of a layer, by their path in the image: files or directory trees, never outside the project. */
    private static Map<String, Path> sources(JobContext context, Map<String, String> layer) {
        Map<String, Path> files = new LinkedHashMap<>();
        layer.forEach((dst, src) -> {
            Path source = ProjectFiles.source(context, src); // never a file outside the project
            if (!Files.isRegularFile(source) && !Files.isDirectory(source)) {
                throw JobFailure.failed("the image file " + dst + " comes from " + src + ", which does not exist");
            }
            files.put(dst, source);
        });
        return files;
    }

    /** What an image built on a base keeps of the base's config: env, entrypoint, cmd, workdir, user, labels. */
    static ImageConfig inherit(ImageConfig config, JsonNode base) {
        Map<String, String> env = new LinkedHashMap<>();
        base.path("Env").forEach(e -> {
            String kv = e.asText();
            int eq = kv.indexOf('=');
            if (eq > 0) {
                env.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        });
        Map<String, String> labels = new LinkedHashMap<>();
        base.path("Labels").properties().forEach(f -> labels.put(f.getKey(), f.getValue().asText()));
        List<String> entrypoint = new ArrayList<>();
        base.path("Entrypoint").forEach(e -> entrypoint.add(e.asText()));
        List<String> cmd = new ArrayList<>();
        base.path("Cmd").forEach(c -> cmd.add(c.asText()));
        ImageConfig out = config.withEnv(env).withLabels(labels).withEntrypoint(entrypoint).withCmd(cmd);
        if (!base.path("WorkingDir").asText().isEmpty()) {
            out = out.withWorkdir(base.path("WorkingDir").asText());
        }
        if (!base.path("User").asText().isEmpty()) {
            out = out.withUser(base.path("User").asText());
        }
        return out;
    }

    /** The multi-arch index over the platform images, in the order the spec lists the platforms. */
    public static final class Index implements ActionHandler<Action.Index> {
        @Override
        public JobOutcome run(JobContext context, Action.Index index) throws Exception {
            Map<String, Artifact> byPlatform = new LinkedHashMap<>();
            for (Artifact o : context.artifacts().ofJobs(context.job().needs())) {
                if (o.kind().equals("image")) {
                    byPlatform.put(o.name(), o);
                }
            }
            List<AssembledImage> images = new ArrayList<>();
            for (String platform : index.platforms()) {
                Artifact o = byPlatform.get(platform);
                if (o == null) {
                    throw JobFailure.failed("the image for " + platform + " is missing from this run");
                }
                JsonNode manifest = JSON.readTree(context.projectDir().resolve(o.path()).toFile());
                images.add(new AssembledImage(new Descriptor(MediaTypes.OCI_MANIFEST, o.digest(), o.size()),
                        Platform.parse(platform), Digest.parse(manifest.path("config").path("digest").asText())));
            }
            OciLayout store = store(context);
            Descriptor descriptor = ImageAssembler.index(images, index.annotations(), store.blobs());
            return JobOutcome.done(descriptor.digest().toString(), List.of(context.artifact("index", "index",
                    context.projectDir().relativize(store.blob(descriptor.digest())),
                    descriptor.digest(), descriptor.size())), List.of());
        }
    }

    /**
     * A layer of {@code files} in the content store. When the plan attests, the SBOM's listing of
     * it (each file's digests) is taken in the same pass that writes and hashes it, so the attest
     * job does not read it again.
     */
    private static Layer layer(JobContext context, OciLayout store, Map<String, Path> files, String compression) throws IOException {
        if (!context.plan().has(Action.Attest.class)) {
            return LayerBuilder.fromFiles(files, Map.of(), context.sourceDate().getEpochSecond(), store.blobs(),
                    LayerBuilder.Compression.of(compression));
        }
        dev.cutter.sbom.LayerListing listing = new dev.cutter.sbom.LayerListing();
        Layer layer = LayerBuilder.fromFiles(files, Map.of(), context.sourceDate().getEpochSecond(), store.blobs(),
                LayerBuilder.Compression.of(compression), new LayerBuilder.Tap() {
                    @Override
                    public java.io.InputStream file(String path, java.io.InputStream content) {
                        return listing.file(path, content);
                    }

                    @Override
                    public void other(String path, boolean directory) {
                        listing.other(path, directory);
                    }
                });
        listing.write(dev.cutter.sbom.LayerListing.directory(store.root()), layer.descriptor().digest());
        return layer;
    }

    /**
     * A promotion's source: the index a release candidate published, fetched by the digest its tag
     * points at — the index and every blob — into this run's content store, as if built here. The
     * pushes after it publish exactly those bytes.
     */
    public record Source(Registries registries) implements ActionHandler<Action.Source> {
        @Override
        public JobOutcome run(JobContext context, Action.Source source) throws Exception {
            OciLayout store = store(context);
            Descriptor top = fetch(context, source.repository(), source.tag(), source.access(), registries, store, source.blobs());
            if (source.blobs()) { // a promotion publishes what refers to the candidate too (SBOMs, provenance, signatures)
                try {
                    ImageTarget from = registries.target(context, source.repository(), Optional.of(source.access()));
                    dev.cutter.oci.Referrers.carry(from, new dev.cutter.oci.LayoutTarget(store), top, false);
                } catch (RegistryException e) {
                    throw JobFailures.of(source.repository() + ": ", e);
                }
            }
            return JobOutcome.done(top.digest() + " from " + source.repository() + ":" + source.tag(), List.of(context.artifact(
                    "index", "index", context.projectDir().relativize(store.blob(top.digest())), top.digest(),
                    top.size())), List.of());
        }
    }

    /**
     * What {@code repository} (a registry repository or {@code oci:DIR}) holds at {@code reference}
     * (a tag or digest), the index and its manifests and, with {@code blobs}, every blob they
     * reach, fetched into {@code store} where missing; a reference the target does not have fails
     * the job naming it.
     */
    public static Descriptor fetch(JobContext context, String repository, String reference, Action.Access access, Registries registries,
            OciLayout store, boolean blobs) throws IOException {
        String at = repository + (reference.startsWith("sha256:") ? "@" : ":") + reference;
        if (repository.startsWith("oci:")) {
            OciLayout from = OciLayout.open(context.projectDir().resolve(repository.substring(4)));
            Optional<Descriptor> top = reference.startsWith("sha256:") && from.hasBlob(Digest.parse(reference))
                    ? Optional.of(describe(from, Digest.parse(reference))) : from.resolve(reference);
            if (top.isEmpty()) {
                throw JobFailure.failed(at + " does not exist; it was not published there");
            }
            for (Digest blob : dev.cutter.oci.Copier.reachable(from, top.get())) {
                if (!store.hasBlob(blob)) {
                    store.putBlob(blob, from.blob(blob));
                }
            }
            return top.get();
        }
        Repository repo = Repository.parse(repository);
        RegistryClient client = registries.client(context, repo, access);
        try {
            if (client.headManifest(repo, reference).isEmpty()) {
                throw JobFailure.failed(at + " does not exist; it was not published there");
            }
            return Puller.pull(client, repo, reference, store, blobs).top();
        } catch (RegistryException e) {
            throw JobFailures.of(repository + ": ", e);
        }
    }

    /** A manifest or index in {@code layout} by its digest, described as an index entry would describe it. */
    private static Descriptor describe(OciLayout layout, Digest digest) throws IOException {
        Path blob = layout.blob(digest);
        String mediaType = JSON.readTree(blob.toFile()).path("mediaType").asText(MediaTypes.OCI_INDEX);
        return new Descriptor(mediaType, digest, Files.size(blob));
    }

    /**
     * Push and replicate: the index and everything it reaches into the target (a layout or a
     * registry repository), then the tags, all or none. The target's tags are read first and the
     * tag decisions made, so a conflict refuses before anything is sent; then blobs, manifests and
     * index by digest (mounted from the source repository when it is on the same registry). Then,
     * holding the ledger's locks on the tags ({@link TagLocks}), the tags are read again and
     * decided again: another run may have tagged since the first look, and its tags count. The
     * tags are written, and every tag that should point at the index is read back before the locks
     * go: a publication counts only when the target says so.
     */
    public record Publish(boolean forceFloating, Registries registries, TagLocks locks) {
        /** A push: the index into its repository under its tags. */
        public JobOutcome push(JobContext context, Action.Push p) throws Exception {
            return run(context, p.repository(), new TagDecisions.Tags(p.tags(), p.floating(), p.lines(), p.rolling()), p.access(),
                    Optional.empty());
        }

        /** A replica: the same index, digest for digest, into another repository. */
        public JobOutcome replicate(JobContext context, Action.Replicate r) throws Exception {
            return run(context, r.repository(), new TagDecisions.Tags(r.tags(), r.floating(), r.lines(), r.rolling()), r.access(),
                    Optional.of(r.source()));
        }

        private JobOutcome run(JobContext context, String repository, TagDecisions.Tags tags, Action.Access access,
                Optional<String> source) throws Exception {
            Artifact index = findIndex(context);
            try {
                return publish(context, repository, registries.target(context, repository, Optional.of(access)), tags, source, index);
            } catch (RegistryException e) {
                throw JobFailures.of("", e);
            }
        }

        private List<TagDecisions.Decision> decide(JobContext context, ImageTarget target, TagDecisions.Tags tags, Artifact index)
                throws IOException {
            Map<String, String> existing = new LinkedHashMap<>();
            for (String tag : target.tags()) {
                existing.put(tag, tags.all().contains(tag) ? target.resolve(tag).map(d -> d.digest().toString()).orElse("") : "");
            }
            var plan = context.plan();
            VersionScheme scheme = VersionScheme.of(plan.scheme());
            return TagDecisions.decide(scheme.parse(plan.version()), scheme, tags, existing, index.digest().toString(), plan.rolling(),
                    forceFloating);
        }

        private JobOutcome publish(JobContext context, String repository, ImageTarget target, TagDecisions.Tags tags,
                Optional<String> source, Artifact index) throws IOException, InterruptedException {
            OciLayout store = store(context);
            var first = decide(context, target, tags, index);
            List<String> refused = first.stream().filter(d -> d.kind() == TagDecisions.Kind.REFUSE)
                    .map(TagDecisions.Decision::reason).toList();
            if (!refused.isEmpty()) {
                throw JobFailure.refused(repository + ": " + String.join("; ", refused) + " (nothing was changed)");
            }
            byte[] bytes = Files.readAllBytes(store.blob(index.digest()));
            Descriptor top = new Descriptor(JSON.readTree(bytes).path("mediaType").asText(MediaTypes.OCI_INDEX), index.digest(),
                    bytes.length);
            boolean settled = first.stream().noneMatch(TagDecisions.Decision::changes)
                    && first.stream().anyMatch(d -> d.kind() == TagDecisions.Kind.UNCHANGED);
            // what refers to the image in the content store (its SBOMs, provenance and signatures) goes with it, before its
            // tags: sent while the image's blobs upload, since neither waits for the other (a referrer names its subject by digest)
            Pusher.Result pushed;
            int referrers;
            try (var beside = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                var carried = beside.submit(() -> dev.cutter.oci.Referrers.carry(new dev.cutter.oci.LayoutTarget(store), target, top, true));
                pushed = settled ? new Pusher.Result(0, 0, 0) // a tag already at the index: it is all there
                        : Pusher.push(source.map(target::mountingFrom).orElse(target), store, store::blob, top);
                referrers = dev.cutter.oci.Awaited.get(carried);
            }
            List<Effect> effects = new ArrayList<>();
            List<Effect> confirmed = new ArrayList<>();
            List<String> notes = new ArrayList<>();
            try (TagLocks.Held held = locks.hold(context, repository, tags.all())) {
                // read again now that no run sharing this ledger can tag here: what another run tagged since counts
                var decisions = decide(context, target, tags, index);
                List<String> conflicts = decisions.stream().filter(d -> d.kind() == TagDecisions.Kind.REFUSE)
                        .map(d -> d.reason() + locks.taggedBy(repository + ":" + d.tag(), d.before().orElse(""))
                                .map(run -> " (tagged by run " + run + " while this one pushed)").orElse(" (tagged while this one pushed)"))
                        .toList();
                if (!conflicts.isEmpty()) {
                    throw JobFailure.refused(repository + ": " + String.join("; ", conflicts) + "; no tag was changed");
                }
                for (var d : decisions) {
                    if (d.changes()) {
                        target.tag(d.tag(), top, bytes);
                        effects.add(context.effect(Effect.TAG, repository + ":" + d.tag(), d.before(), index.digest().toString()));
                    } else if (d.kind() == TagDecisions.Kind.UNCHANGED) { // already there: recorded, or the ledger would say it is missing
                        confirmed.add(context.effect(Effect.CONFIRMED, repository + ":" + d.tag(), d.before(), index.digest().toString()));
                    } else if (d.kind() == TagDecisions.Kind.KEEP) {
                        notes.add(d.tag() + " stays (" + d.reason() + ")");
                    }
                }
                for (var d : decisions) { // read back: a publication counts only when the target says so
                    if (d.kind() == TagDecisions.Kind.KEEP) {
                        continue;
                    }
                    Optional<Digest> at = target.resolve(d.tag()).map(Descriptor::digest);
                    if (at.isEmpty() || !at.get().equals(index.digest())) {
                        throw JobFailure.retryable(repository + ":" + d.tag() + " reads back as "
                                + at.map(Digest::toString).orElse("missing") + ", not " + index.digest(), null);
                    }
                }
            }
            String detail = (effects.isEmpty() ? "every tag already as planned" : "tagged " + String.join(", ",
                    effects.stream().map(e -> e.target().substring(e.target().lastIndexOf(':') + 1)).toList()))
                    + " at " + index.digest() + " (" + pushed.blobsUploaded() + " blobs sent, " + pushed.blobsPresent() + " present"
                    + (referrers == 0 ? "" : ", " + referrers + " referrers") + ")"
                    + (notes.isEmpty() ? "" : "; " + String.join("; ", notes));
            List<Effect> recorded = new ArrayList<>(effects);
            recorded.addAll(confirmed);
            return effects.isEmpty() && pushed.blobsUploaded() == 0 && pushed.manifestsWritten() == 0 && referrers == 0
                    ? JobOutcome.skipped(detail, List.of(), confirmed) : JobOutcome.done(detail, List.of(), recorded);
        }

        private static Artifact findIndex(JobContext context) {
            return indexBehind(context, context.job());
        }

        /** The index {@code job} publishes: that of its own image and cell, found back along its {@link Plan#lineage}. */
        public static Artifact indexBehind(JobContext context, Job job) {
            for (Job from : context.plan().lineage(job)) {
                for (Artifact o : context.artifacts().ofJob(from.id())) {
                    if (o.kind().equals("index")) {
                        return o;
                    }
                }
            }
            throw JobFailure.failed("no image index among what this job needs");
        }
    }

}
