package dev.cutter.kinds.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cutter.build.Builders;
import dev.cutter.build.Dockerfile;
import dev.cutter.build.Emulation;
import dev.cutter.build.ImageBuilder;
import dev.cutter.content.Digest;
import dev.cutter.content.FileTrees;
import dev.cutter.http.Loopback;
import dev.cutter.oci.Copier;
import dev.cutter.oci.Credentials;
import dev.cutter.oci.Descriptor;
import dev.cutter.oci.ImageReference;
import dev.cutter.oci.LoginFileException;
import dev.cutter.oci.Logins;
import dev.cutter.oci.MediaTypes;
import dev.cutter.oci.OciLayout;
import dev.cutter.oci.Platform;
import dev.cutter.oci.RegistryClient;
import dev.cutter.oci.RegistryHost;
import dev.cutter.oci.Repository;
import dev.cutter.plan.Action;
import dev.cutter.run.JobContext;
import dev.cutter.run.JobFailure;
import dev.cutter.run.Secrets;
import dev.cutter.run.jobs.ProjectFiles;
import dev.cutter.run.jobs.Registries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Dockerfile build of one platform through the external builder its {@code builder:} names: the
 * builder writes an OCI layout into the job's own work directory
 * ({@code .cutter/build/RUN/JOB}, removed afterwards, whatever happened), and the image it holds
 * is taken into the content store, where the index, push, replicas, promotion and verification find
 * it as they find an image assembled here. Every timestamp is the source date, so the same commit
 * builds the same digest where the builder allows it. Before a run, {@link #problem} names what
 * would make the build fail here: no builder, or {@code RUN} steps for a platform this machine
 * cannot run.
 */
final class DockerfileBuild {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = JsonMapper.builder().build();
    /** Blobs up to this size (manifests, configs) are copied and hashed; larger ones (layers) are moved in. */
    private static final long SMALL = 1 << 20;

    private final Builders builders;
    private final Emulation emulation;
    /** The run's environment: where the user's logins are ({@code REGISTRY_AUTH_FILE}, {@code HOME}, …). */
    private final Map<String, String> environment;

    DockerfileBuild(Builders builders, Emulation emulation, Map<String, String> environment) {
        this.builders = builders;
        this.emulation = emulation;
        this.environment = Map.copyOf(environment);
    }

    /** Why {@code image} cannot be built here, or empty. */
    Optional<String> problem(Action.Image image, Path project) {
        Action.DockerBuild build = image.build().orElseThrow();
        try {
            Builders.Choice choice = builders.choose(build.builder());
            if (choice.builder().isEmpty()) {
                return Optional.of(choice.problem());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while looking for an image builder");
        }
        Path file = project.resolve(build.dockerfile());
        Dockerfile dockerfile;
        try {
            dockerfile = Dockerfile.read(file);
        } catch (IOException e) {
            return Optional.of("the Dockerfile " + build.dockerfile() + " cannot be read (" + e.getMessage() + ")");
        }
        if (dockerfile.runs()) {
            Platform platform = Platform.parse(image.platform());
            return emulation.problem(platform.os(), platform.architecture())
                    .map(p -> build.dockerfile() + " has RUN steps, and " + p);
        }
        return Optional.empty();
    }

    /** The name of the builder that builds {@code image} here. */
    String builderOf(Action.Image image) throws InterruptedException {
        return builder(image.build().orElseThrow()).name();
    }

    private ImageBuilder builder(Action.DockerBuild build) throws InterruptedException {
        Builders.Choice choice = builders.choose(build.builder());
        return choice.builder().orElseThrow(() -> JobFailure.failed(choice.problem()));
    }

    /** Builds {@code image} and puts it into {@code store}: its manifest, config and layers. */
    Descriptor build(JobContext context, Action.Image image, OciLayout store) throws IOException, InterruptedException {
        Action.DockerBuild build = image.build().orElseThrow();
        ImageBuilder builder = builder(build);
        Path dockerfile = ProjectFiles.source(context, build.dockerfile());
        Path buildContext = ProjectFiles.source(context, build.context());
        if (!Files.isRegularFile(dockerfile)) {
            throw JobFailure.failed("the Dockerfile " + build.dockerfile() + " does not exist");
        }
        if (!Files.isDirectory(buildContext)) {
            throw JobFailure.failed("the build context " + build.context() + " is not a directory");
        }
        Path work = context.projectDir().resolve(".cutter/build").resolve(context.runId())
                .resolve(context.job().id().replaceAll("[^A-Za-z0-9._-]+", "-"));
        FileTrees.delete(work); // an earlier attempt's leftovers
        try {
            Path output = work.resolve("oci");
            var request = new ImageBuilder.Request(dockerfile, buildContext, build.target(), build.args(), image.labels(),
                    image.platform(), context.sourceDate().getEpochSecond(), work, output,
                    pulls(bases(Dockerfile.read(dockerfile), build.args()), build.registries(), context.secrets(), environment));
            try {
                builder.build(request, line -> context.log().line("stdout", line));
            } catch (ImageBuilder.Failed e) {
                throw JobFailure.failed(image.platform() + ": " + e.getMessage());
            }
            OciLayout built = OciLayout.open(output);
            Optional<Descriptor> tagged = built.resolve(ImageBuilder.TAG);
            if (tagged.isEmpty() && built.tags().size() == 1) { // a builder that names its one image its own way
                tagged = built.resolve(built.tags().getFirst());
            }
            Descriptor top = tagged.orElseThrow(() -> JobFailure.failed(builder.name()
                    + " ended without writing the image into " + output));
            Descriptor manifest = manifestOf(built, top, image.platform());
            for (Digest blob : Copier.reachable(built, manifest)) {
                Path file = built.blob(blob);
                if (Files.isRegularFile(file) && Files.size(file) <= SMALL) {
                    store.putBlob(blob, file); // a manifest or config: hashed as it is copied, for almost nothing
                } else {
                    store.adoptBlob(blob, file); // a layer: renamed, not copied or hashed again (the registry checks it)
                }
            }
            return manifest;
        } finally {
            FileTrees.delete(work);
            try {
                Files.deleteIfExists(work.getParent()); // the run's, once its last build is gone
            } catch (java.nio.file.DirectoryNotEmptyException e) {
                // another platform's build of this run is still there
            }
        }
    }

    /** The platform's manifest: {@code top} itself, or the entry of the index a builder wrote (BuildKit's OCI output). */
    private static Descriptor manifestOf(OciLayout layout, Descriptor top, String platform) throws IOException {
        JsonNode node = JSON.readTree(layout.blob(top.digest()).toFile());
        if (node.has("layers")) {
            return new Descriptor(node.path("mediaType").asText(MediaTypes.OCI_MANIFEST), top.digest(), top.size());
        }
        Platform wanted = Platform.parse(platform);
        for (JsonNode entry : node.path("manifests")) {
            JsonNode p = entry.path("platform");
            if (p.path("os").asText().equals(wanted.os()) && p.path("architecture").asText().equals(wanted.architecture())) {
                return manifestOf(layout, new Descriptor(entry.path("mediaType").asText(), Digest.parse(entry.path("digest").asText()),
                        entry.path("size").asLong()), platform);
            }
        }
        if (node.path("manifests").size() == 1) {
            JsonNode entry = node.path("manifests").get(0);
            return manifestOf(layout, new Descriptor(entry.path("mediaType").asText(), Digest.parse(entry.path("digest").asText()),
                    entry.path("size").asLong()), platform);
        }
        throw JobFailure.failed("the builder wrote no image for " + platform);
    }

    /**
     * The base images the Dockerfile's {@code FROM} lines name, as far as they are known before the
     * build: build args substituted ({@link Dockerfile#bases(Map)}); {@code scratch}, and a name that
     * is no image reference, left to the builder.
     */
    static List<ImageReference> bases(Dockerfile dockerfile, Map<String, String> args) {
        List<ImageReference> bases = new ArrayList<>();
        for (String base : dockerfile.bases(args)) {
            if (base.equalsIgnoreCase("scratch")) {
                continue;
            }
            try {
                ImageReference reference = ImageReference.parse(base);
                if (!reference.layout()) {
                    bases.add(reference);
                }
            } catch (IllegalArgumentException e) {
                // the builder says what is wrong with it
            }
        }
        return bases;
    }

    /**
     * How the builder pulls each base: over plain HTTP from a loopback registry (as Cutter speaks
     * to one) or one whose entry in the spec says {@code insecure}; with the credentials a push to
     * that registry would use, resolved now: the entry's own ({@code auth: basic}), else the user's
     * logins wherever they are (podman's and skopeo's {@code auth.json} as containers-auth.json(5)
     * orders them, Docker's {@code config.json}, credential helpers: {@code Logins}), none for
     * {@code auth: none}. The builder reads only the build's own auth file, so a login only
     * podman's file holds reaches it this way. A base with neither is left to the builder.
     */
    static List<ImageBuilder.Pull> pulls(List<ImageReference> bases, Map<String, Action.Access> registries, Secrets secrets,
            Map<String, String> environment) {
        List<ImageBuilder.Pull> pulls = new ArrayList<>();
        Credentials logins = Logins.of(environment);
        for (ImageReference base : bases) {
            Repository repo = base.repository();
            Optional<Action.Access> access = BaseRegistries.of(registries, repo);
            boolean insecure = Loopback.is(repo.host()) || access.map(Action.Access::insecure).orElse(false);
            Credentials credentials = access.map(a -> Registries.credentials(repo.host(), a, secrets, environment)).orElse(logins);
            Optional<ImageBuilder.Login> login;
            try {
                login = credentials.find(repo).map(DockerfileBuild::login);
            } catch (LoginFileException e) {
                throw JobFailure.failed(e.getMessage());
            }
            if (insecure || login.isPresent()) {
                String location = RegistryHost.of(repo.host()).name() + "/" + repo.path();
                if (pulls.stream().noneMatch(p -> p.location().equals(location))) {
                    pulls.add(new ImageBuilder.Pull(location, insecure, login));
                }
            }
        }
        return pulls;
    }

    private static ImageBuilder.Login login(Credentials.Login login) {
        return switch (login) {
            case Credentials.UsernamePassword up -> new ImageBuilder.Login(up.username(), up.password());
            case Credentials.IdentityToken token -> ImageBuilder.Login.identityToken(token.token());
        };
    }
}
