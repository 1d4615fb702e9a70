package dev.cutter.ci;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutter.content.Digest;
import dev.cutter.content.Staging;
import dev.cutter.ledger.Artifact;
import dev.cutter.oci.Credentials;
import dev.cutter.oci.MediaTypes;
import dev.cutter.oci.OciLayout;
import dev.cutter.oci.Puller;
import dev.cutter.oci.Pusher;
import dev.cutter.oci.RegistryClient;
import dev.cutter.oci.RegistryException;
import dev.cutter.oci.Repository;
import dev.cutter.plan.Action;
import dev.cutter.run.ArtifactStore;
import dev.cutter.run.Masker;
import dev.cutter.run.Secrets;
import dev.cutter.run.jobs.Registries;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The outputs of a run's jobs as OCI artifacts in one registry repository, the way ORAS stores
 * files. A job's files are blobs named by their digests, held by one manifest per job
 * ({@code artifactType application/vnd.dev.cutter.output.v1}; a layer per file, titled with its
 * path and carrying its permissions, which the image layers built from it depend on), tagged
 * {@code job-<digest of run and job>} so the registry's garbage collection keeps them. Images and
 * indexes a job assembled in the content store ({@code .cutter/oci}) go as themselves, tagged
 * {@code obj-<digest>}. Blobs are addressed by content: a job run again, or on another machine,
 * sends nothing the repository has.
 */
public record RegistryArtifacts(RegistryClient registry, Repository repository, Path project) implements ArtifactStore {
    static final String ARTIFACT_TYPE = "application/vnd.dev.cutter.output.v1";
    static final String MODE = "dev.cutter.mode";
    private static final String TITLE = "org.opencontainers.image.title";
    /** The OCI empty descriptor's content, {@code {}}, for artifacts that need no config. */
    private static final byte[] EMPTY = "{}".getBytes(UTF_8);
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    public RegistryArtifacts {
        project = project.toAbsolutePath().normalize();
    }

    @Override
    public String describe() {
        return repository.toString();
    }

    @Override
    public void put(String runId, String jobId, List<Artifact> outputs) throws IOException {
        try {
            List<Artifact> files = new ArrayList<>();
            for (Artifact output : outputs) {
                if (inContentStore(output.path())) {
                    pushObject(output.digest());
                } else {
                    files.add(output);
                }
            }
            if (files.isEmpty()) {
                return;
            }
            ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_MANIFEST)
                    .put("artifactType", ARTIFACT_TYPE);
            manifest.putObject("config").put("mediaType", "application/vnd.oci.empty.v1+json")
                    .put("digest", putBytes(EMPTY).toString()).put("size", EMPTY.length);
            ArrayNode layers = manifest.putArray("layers");
            for (Artifact file : files) {
                Path path = project.resolve(file.path());
                if (!registry.blobExists(repository, file.digest())) {
                    registry.putBlob(repository, file.digest(), path, Optional.empty());
                }
                ObjectNode layer = layers.addObject().put("mediaType", "application/octet-stream")
                        .put("digest", file.digest().toString()).put("size", file.size());
                layer.putObject("annotations").put(TITLE, file.path().toString()).put(MODE, mode(path));
            }
            registry.putManifest(repository, jobTag(runId, jobId), MediaTypes.OCI_MANIFEST, JSON.writeValueAsBytes(manifest));
        } catch (RegistryException e) {
            throw new IOException("cannot store the outputs of " + jobId + " in " + repository + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void fetch(String runId, String jobId, List<Artifact> artifacts) throws IOException {
        try {
            JsonNode manifest = null;
            for (Artifact artifact : artifacts) {
                Digest digest = artifact.digest();
                Path path = inside(artifact);
                if (Files.isRegularFile(path) && Digest.sha256(path).equals(digest)) {
                    continue;
                }
                if (inContentStore(artifact.path())) {
                    Puller.pull(registry, repository, digest.toString(), contentStore(), true);
                    continue;
                }
                if (manifest == null) {
                    String tag = jobTag(runId, jobId);
                    manifest = JSON.readTree(registry.getManifest(repository, tag).orElseThrow(() -> new IOException(repository + ":"
                            + tag + " does not exist: job " + jobId + " of run " + runId + " left no outputs there")).bytes());
                }
                JsonNode layer = null;
                for (JsonNode l : manifest.path("layers")) {
                    if (l.path("digest").asText().equals(artifact.digest().toString())
                            && l.path("annotations").path(TITLE).asText().equals(artifact.path().toString())) {
                        layer = l;
                    }
                }
                if (layer == null) {
                    throw new IOException(repository + " holds no " + artifact.path() + " (" + digest + ") of job " + jobId);
                }
                Files.createDirectories(path.getParent());
                String mode = layer.path("annotations").path(MODE).asText("644");
                if (!mode.matches("[0-7]{1,4}")) {
                    throw new IOException(repository + " gives " + artifact.path() + " of job " + jobId + " the mode '" + mode
                            + "', which is no octal file mode");
                }
                Staging.forRun(project, runId).write(path, temp -> {
                    Files.delete(temp); // getBlob writes a new file, checking the digest on the way
                    registry.getBlob(repository, digest, temp);
                    Files.setPosixFilePermissions(temp, permissions(mode));
                });
            }
        } catch (RegistryException e) {
            throw new IOException("cannot fetch the outputs of " + jobId + " from " + repository + ": " + e.getMessage(), e);
        }
    }

    private OciLayout contentStore() throws IOException {
        return OciLayout.open(project.resolve(".cutter/oci"));
    }

    /** Whether {@code path} (relative to the project) is an object of the content store rather than a file of its own. */
    private boolean inContentStore(Path path) {
        return project.resolve(path).normalize().startsWith(project.resolve(".cutter/oci/blobs"));
    }

    private Path inside(Artifact artifact) throws IOException {
        Path path = project.resolve(artifact.path()).normalize();
        if (!path.startsWith(project)) {
            throw new IOException("the artifact " + artifact.name() + " of job " + artifact.jobId() + " lies outside the project ("
                    + artifact.path() + "); the ledger's record is not one Cutter wrote");
        }
        return path;
    }

    /** An image or index of the content store, with everything it reaches, tagged so it is kept. */
    private void pushObject(Digest digest) throws IOException {
        OciLayout store = contentStore();
        byte[] bytes = Files.readAllBytes(store.blob(digest));
        String mediaType = dev.cutter.oci.ManifestContent.mediaTypeOf(bytes, store.blob(digest).toString());
        if (MediaTypes.isIndex(mediaType)) {
            Pusher.pushIndex(registry, repository, store, digest, Optional.empty());
        } else {
            Pusher.pushManifest(registry, repository, store, digest, Optional.empty());
        }
        String tag = "obj-" + digest.hex();
        if (registry.headManifest(repository, tag).isEmpty()) {
            registry.putManifest(repository, tag, mediaType, bytes);
        }
    }

    private Digest putBytes(byte[] bytes) throws IOException {
        Digest digest = Digest.sha256(bytes);
        if (!registry.blobExists(repository, digest)) {
            Path temp = Files.createTempFile("cutter-blob", ".bin");
            try {
                Files.write(temp, bytes);
                registry.putBlob(repository, digest, temp, Optional.empty());
            } finally {
                Files.deleteIfExists(temp);
            }
        }
        return digest;
    }

    /**
     * The store a run's record names ({@code artifacts}: the repository and how to reach its
     * registry, as {@code cutter emit} recorded them), its credentials resolved from
     * {@code environment} now (law 6: the record holds references only).
     */
    public static ArtifactStore open(JsonNode artifacts, Map<String, String> environment, Path project, HttpClient http) {
        if (artifacts == null || artifacts.isMissingNode() || artifacts.isNull()) {
            throw new dev.cutter.plan.PlanException("the run records no artifact repository, so its jobs cannot pass their outputs"
                    + " to each other; emit it again with execution.artifacts in the spec or --artifacts REGISTRY/REPOSITORY");
        }
        Action.Published where;
        try {
            where = dev.cutter.plan.PlanJson.mapper().treeToValue(artifacts, Action.Published.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new dev.cutter.plan.PlanException("the run's artifact repository is recorded in a form this Cutter does not read: "
                    + e.getOriginalMessage());
        }
        Repository repo = Repository.parse(where.repository());
        Action.Access access = where.access();
        Credentials credentials = Registries.credentials(repo.host(), access, new Secrets(environment, project, new Masker()),
                environment);
        RegistryClient.Options options = RegistryClient.Options.defaults()
                .withInsecure(access.insecure() ? Set.of(repo.host()) : Set.of())
                .withTimeout(RegistryClient.timeoutFrom(environment.get("CUTTER_REGISTRY_TIMEOUT")));
        return new RegistryArtifacts(new RegistryClient(http, credentials, options), repo, project);
    }

    /** {@code job-} and the hex of sha256(run, job): a valid tag, one per job of a run. */
    static String jobTag(String runId, String jobId) {
        return "job-" + Digest.sha256((runId + "\n" + jobId).getBytes(UTF_8)).hex();
    }

    private static String mode(Path file) throws IOException {
        int mode = 0;
        for (PosixFilePermission p : Files.getPosixFilePermissions(file)) {
            mode |= 1 << (8 - p.ordinal());
        }
        return Integer.toOctalString(mode);
    }

    private static Set<PosixFilePermission> permissions(String octal) {
        int mode = Integer.parseInt(octal, 8);
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission p : PosixFilePermission.values()) {
            if ((mode & (1 << (8 - p.ordinal()))) != 0) {
                perms.add(p);
            }
        }
        return perms;
    }
}
