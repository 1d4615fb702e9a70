package dev.cutter.kinds.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cutter.content.Digest;
import dev.cutter.content.FileTrees;
import dev.cutter.oci.DigestMismatchException;
import dev.cutter.oci.Descriptor;
import dev.cutter.oci.OciLayout;
import dev.cutter.oci.ImageTarget;
import dev.cutter.oci.RegistryException;
import dev.cutter.oci.RootFs;
import dev.cutter.plan.Action;
import dev.cutter.plan.Job;
import dev.cutter.plan.Publication;
import dev.cutter.run.JobContext;
import dev.cutter.run.JobFailure;
import dev.cutter.run.JobOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import dev.cutter.run.jobs.JobFailures;
import dev.cutter.run.jobs.Registries;
import dev.cutter.run.jobs.TagDecisions;
import dev.cutter.version.VersionScheme;
import dev.cutter.run.jobs.Shell;
import dev.cutter.kinds.image.ImageJobs;

/**
 * Checks of published images, read back from where they were published — the answer to "did
 * 1.7.8 reach every registry?":
 *
 * <ul>
 *   <li>{@code images}: in every repository of every publication (each replica too), each
 *       immutable and rolling tag points at the index this release published and each floating
 *       tag exists; the index the repository serves under that digest holds exactly the declared
 *       platforms; and every platform's config carries the labels the spec gave it (a promoted
 *       image, those it was built with as the candidate).
 *   <li>{@code run} with {@code image}: the command runs against the image's filesystem, pulled
 *       from where it was pushed and unpacked to a directory ({@code $CUTTER_ROOTFS}), once per
 *       publication of the image.
 * </ul>
 * Problems name the repository, the tag or platform and what was found instead.
 */
final class ImageChecks {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private ImageChecks() {}

    static JobOutcome images(JobContext context, Action.Validate validate, Registries registries) throws IOException {
        List<Publication> publications = context.plan().publications().stream()
                .filter(p -> validate.image().map(id -> id.equals(p.image())).orElse(true)).toList();
        List<String> problems = new ArrayList<>();
        for (Publication publication : publications) {
            problems.addAll(check(context, publication, registries));
        }
        if (!problems.isEmpty()) {
            throw JobFailure.failed(problems.size() + (problems.size() == 1 ? " problem" : " problems") + " with the published images: "
                    + String.join("; ", problems));
        }
        long tags = publications.stream().mapToLong(p -> p.tags().size()).sum();
        return JobOutcome.done(tags + " tags in " + publications.size() + " repositories point where they should, with the declared"
                + " platforms and labels", List.of(), List.of());
    }

    /**
     * The floating tags that should point at this release's index, decided as the push decides:
     * from the repository's tags now, by the forward-only law. One this release rightly left alone
     * (a prerelease, a lower version of its line) is expected nowhere; one it should hold, and does
     * not, is a problem named with the law's reason.
     */
    private static List<String> floating(JobContext context, Publication publication, ImageTarget target, Digest index)
            throws IOException {
        if (publication.floating().isEmpty()) {
            return List.of();
        }
        Map<String, String> existing = new LinkedHashMap<>();
        for (String tag : target.tags()) {
            existing.put(tag, publication.tags().contains(tag)
                    ? target.resolve(tag).map(d -> d.digest().toString()).orElse("") : "");
        }
        var plan = context.plan();
        VersionScheme scheme = VersionScheme.of(plan.scheme());
        var decisions = TagDecisions.decide(scheme.parse(plan.version()), scheme, new TagDecisions.Tags(publication.tags(),
                publication.floating(), publication.lines(), publication.rolling()), existing, index.toString(), plan.rolling(), false);
        List<String> problems = new ArrayList<>();
        for (TagDecisions.Decision d : decisions) {
            if (!publication.floating().contains(d.tag()) || !d.changes()) {
                continue; // held already, or left alone by the law
            }
            problems.add(publication.repository() + ":" + d.tag() + (d.before().filter(b -> !b.isEmpty()).isEmpty() ? " is missing"
                    : " points at " + d.before().get() + ", not " + index) + " (" + d.reason() + ")");
        }
        return problems;
    }

    /** The problems with one publication as its repository holds it now. */
    private static List<String> check(JobContext context, Publication publication, Registries registries) throws IOException {
        ImageTarget target = registries.target(context, publication.repository(),
                context.plan().job(publication.job()).map(Job::action).flatMap(Action::publishingAccess));
        try {
            return check(context, publication, target);
        } catch (RegistryException e) {
            // a registry that cannot be reached or refuses us stops the check: it cannot tell what the repository holds
            throw JobFailures.of(e.status() == 404 ? publication.repository() + ": " : "cannot check " + publication.repository() + ": ", e);
        }
    }

    private static List<String> check(JobContext context, Publication publication, ImageTarget target) throws IOException {
        Digest index = ImageJobs.Publish.indexBehind(context, context.plan().job(publication.job()).orElseThrow()).digest();
        String repository = publication.repository();
        List<String> problems = new ArrayList<>();
        for (String tag : publication.tags()) {
            if (publication.floating().contains(tag)) {
                continue; // below: as the push decided
            }
            Optional<Digest> digest = target.resolve(tag).map(Descriptor::digest);
            if (digest.isEmpty()) {
                problems.add(repository + ":" + tag + " is missing");
            } else if (!digest.get().equals(index)) {
                problems.add(repository + ":" + tag + " points at " + digest.get() + ", not " + index + " as released");
            }
        }
        problems.addAll(floating(context, publication, target, index));
        Optional<byte[]> bytes = target.getManifest(index);
        if (bytes.isEmpty()) {
            problems.add(repository + " does not hold the released index " + index);
            return problems;
        }
        Map<String, Digest> manifests = platforms(bytes.get(), repository + "@" + index);
        if (!new TreeSet<>(manifests.keySet()).equals(new TreeSet<>(publication.platforms()))) {
            problems.add(repository + "@" + index + " holds the platforms " + new TreeSet<>(manifests.keySet()) + ", not the declared "
                    + new TreeSet<>(publication.platforms()));
        }
        Map<String, Map<String, String>> wanted = labels(context, publication);
        for (var m : manifests.entrySet()) {
            Map<String, String> expected = wanted.getOrDefault(m.getKey(), Map.of());
            if (expected.isEmpty()) {
                continue;
            }
            Optional<byte[]> manifest = target.getManifest(m.getValue());
            if (manifest.isEmpty()) {
                problems.add(repository + " lacks the " + m.getKey() + " manifest " + m.getValue() + " its index lists");
                continue;
            }
            JsonNode configDescriptor = JSON.readTree(manifest.get()).path("config");
            Digest configDigest = Digest.parse(configDescriptor.path("digest").asText());
            Optional<byte[]> config;
            try {
                config = target.hasBlob(configDigest) ? Optional.of(target.getDocument(configDigest,
                        configDescriptor.path("size").asLong(-1))) : Optional.empty();
            } catch (DigestMismatchException e) {
                config = Optional.empty(); // held under a digest it does not have: as good as missing
            } catch (IOException e) {
                problems.add(repository + " " + m.getKey() + " config " + configDigest + " cannot be read: " + e.getMessage());
                continue;
            }
            if (config.isEmpty()) {
                problems.add(repository + " lacks the " + m.getKey() + " config " + configDigest);
                continue;
            }
            JsonNode held = JSON.readTree(config.get()).path("config").path("Labels");
            expected.forEach((label, value) -> {
                if (!held.has(label)) {
                    problems.add(repository + " " + m.getKey() + " has no label " + label);
                } else if (!held.get(label).asText().equals(value)) {
                    problems.add(repository + " " + m.getKey() + " label " + label + " is \"" + held.get(label).asText()
                            + "\", not \"" + value + "\"");
                }
            });
        }
        return problems;
    }

    /**
     * The labels each platform's image of {@code publication} was built with, by platform: from
     * the image jobs behind it, or the source job of a promotion.
     */
    private static Map<String, Map<String, String>> labels(JobContext context, Publication publication) {
        Map<String, Map<String, String>> labels = new TreeMap<>();
        for (Job job : context.plan().lineage(context.plan().job(publication.job()).orElseThrow())) {
            switch (job.action()) {
                case Action.Image image -> labels.put(image.platform(), image.labels());
                case Action.Source source -> labels.putAll(source.labels());
                default -> {
                    // a push or an index: the images are further back
                }
            }
        }
        return labels;
    }

    /**
     * The images of an index by platform, as the index's bytes say (read and checked as copy reads
     * them): its entries, without the attestations that describe them (buildx lists those as
     * platform unknown/unknown) and without entries that name no platform.
     */
    static Map<String, Digest> platforms(byte[] index, String where) {
        Map<String, Digest> out = new LinkedHashMap<>();
        for (Descriptor entry : dev.cutter.oci.ManifestContent.parse(index, "", where).manifests()) {
            if (entry.describes().isEmpty()) {
                entry.platform().ifPresent(p -> out.put(p.toString(), entry.digest()));
            }
        }
        return out;
    }

    /**
     * A {@code run} check against the image's filesystem: for each repository the image is pushed
     * to, the platform's image is pulled from there (what is already in the content store is not
     * fetched again), unpacked, and the command runs with {@code CUTTER_ROOTFS} (the directory),
     * {@code CUTTER_IMAGE} (repository@digest of the index) and {@code CUTTER_PLATFORM}.
     */
    static JobOutcome runAgainstImage(JobContext context, Action.Validate validate, Map<String, String> env, Registries registries,
            Map<String, String> environment) throws Exception {
        String image = validate.image().orElseThrow();
        List<Publication> pushed = context.plan().publications().stream()
                .filter(p -> p.image().equals(image) && p.kind().equals("push")).toList();
        if (pushed.isEmpty()) {
            throw JobFailure.failed("image " + image + " is not published by this release; nothing to check");
        }
        String command = validate.run().orElseThrow();
        OciLayout store = ImageJobs.store(context);
        List<String> checked = new ArrayList<>();
        for (Publication publication : pushed) {
            Digest index = ImageJobs.Publish.indexBehind(context, context.plan().job(publication.job()).orElseThrow()).digest();
            Action.Access access = context.plan().job(publication.job()).map(Job::action).flatMap(Action::publishingAccess).orElseThrow();
            ImageJobs.fetch(context, publication.repository(), index.toString(), access, registries, store, true);
            Map<String, Digest> manifests = platforms(Files.readAllBytes(store.blob(index)), publication.repository() + "@" + index);
            String platform = validate.platform().orElseGet(() -> manifests.containsKey(hostPlatform()) ? hostPlatform()
                    : manifests.keySet().iterator().next());
            Digest manifest = manifests.get(platform);
            if (manifest == null) {
                throw JobFailure.failed(publication.repository() + "@" + index + " has no " + platform + " image (it has "
                        + manifests.keySet() + ")");
            }
            Path rootfs = Files.createTempDirectory("cutter-rootfs");
            try {
                RootFs.unpack(store, manifest, rootfs);
                Map<String, String> withImage = new TreeMap<>(env);
                withImage.put("CUTTER_ROOTFS", rootfs.toString());
                withImage.put("CUTTER_IMAGE", publication.repository() + "@" + index);
                withImage.put("CUTTER_PLATFORM", platform);
                context.log().info("checking " + publication.repository() + "@" + index + " (" + platform + ") unpacked in " + rootfs);
                int status = Shell.run(context, command, withImage, context.projectDir(), environment, validate.inheritEnv());
                if (status != 0) {
                    throw JobFailure.failed("validation `" + command + "` exited with status " + status + " against "
                            + publication.repository() + "@" + index + " (" + platform + ")");
                }
                checked.add(publication.repository() + ":" + publication.tags().getFirst() + " (" + platform + ")");
            } finally {
                FileTrees.delete(rootfs);
            }
        }
        return JobOutcome.done("passed against " + String.join(", ", checked), List.of(), List.of());
    }

    /** This machine's platform as OCI names it. */
    static String hostPlatform() {
        return "linux/" + PackageInstalls.debianArchitecture();
    }
}
