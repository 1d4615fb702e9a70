package dev.cutter.kinds.image;

import dev.cutter.build.Dockerfile;
import dev.cutter.oci.ImageReference;
import dev.cutter.oci.RateLimits;
import dev.cutter.oci.RegistryClient;
import dev.cutter.oci.RegistryException;
import dev.cutter.oci.Repository;
import dev.cutter.plan.Action;
import dev.cutter.run.JobFailure;
import dev.cutter.run.TargetProbe;
import dev.cutter.run.jobs.Registries;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What a push or a replica asks its repository before the release starts: its tags, read with the
 * release's credentials (a repository not made yet answers too), then whether those credentials
 * may push there (an upload opened and cancelled); what an image asks of its base (that it is
 * there and may be read). Either way, whether the registry's rate limit leaves what the release
 * needs there. Layouts are local and not asked. Each request
 * has a short time-out and few retries: a registry that does not answer is told in seconds.
 */
record RegistryProbe(HttpClient http) {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    Optional<TargetProbe.Question> push(Action.Push push, TargetProbe.Context context) {
        return question(push.repository(), push.tags(), push.access(), context);
    }

    Optional<TargetProbe.Question> replicate(Action.Replicate replica, TargetProbe.Context context) {
        return question(replica.repository(), replica.tags(), replica.access(), context);
    }

    /**
     * The base images a platform image is made on: whether each exists and the release's
     * credentials for its registry (the spec's entry, else the user's logins) may read it, and
     * whether that registry's rate limit leaves the pulls the release needs. A Dockerfile's bases
     * are those its {@code FROM} lines name once build args are substituted; one whose name is
     * known only to the builder, or a Dockerfile a build of the release makes, is not asked.
     */
    Optional<TargetProbe.Question> base(Action.Image image, TargetProbe.Context context) {
        List<ImageReference> bases = new ArrayList<>();
        Function<Repository, Optional<Action.Access>> accessOf;
        if (image.build().isPresent()) {
            Action.DockerBuild build = image.build().get();
            try {
                bases.addAll(DockerfileBuild.bases(Dockerfile.read(context.projectDir().resolve(build.dockerfile())), build.args()));
            } catch (IOException e) {
                return Optional.empty(); // made by a build of this release, or told by the image job
            }
            accessOf = repo -> BaseRegistries.of(build.registries(), repo);
        } else {
            if (image.from().equals("scratch") || image.from().startsWith("oci:")) {
                return Optional.empty();
            }
            try {
                bases.add(ImageReference.parse(image.from()));
            } catch (IllegalArgumentException e) {
                return Optional.empty(); // the image job tells a reference that is not one
            }
            accessOf = repo -> image.baseAccess();
        }
        if (bases.isEmpty()) {
            return Optional.empty();
        }
        String target = String.join(", ", bases.stream().map(ImageReference::toString).toList());
        return Optional.of(new TargetProbe.Question(target, () -> {
            for (ImageReference base : bases) {
                Optional<String> problem = ask(base, accessOf.apply(base.repository()).orElse(USER_LOGINS), context);
                if (problem.isPresent()) {
                    return bases.size() == 1 ? problem : Optional.of(base + ": " + problem.get());
                }
            }
            return Optional.empty();
        }));
    }

    private Optional<String> ask(ImageReference base, Action.Access access, TargetProbe.Context context) {
        Repository repo = base.repository();
        try {
            RegistryClient client = client(repo, access, context);
            if (client.headManifest(repo, base.reference()).isEmpty()) {
                return Optional.of("the base image does not exist there (" + repo + " has no " + base.reference() + ")");
            }
            return budget(client, repo, base.reference(), access, context);
        } catch (RegistryException e) {
            return Optional.of(e.status() == 401 || e.status() == 403
                    ? "the credentials may not read the base image (" + e.getMessage() + ")" : e.getMessage());
        } catch (JobFailure e) {
            return Optional.of(e.getMessage()); // a credential that cannot be read
        }
    }

    /** A base whose registry the spec does not name is pulled with the user's logins (docker, podman, skopeo). */
    private static final Action.Access USER_LOGINS = new Action.Access("docker-config", Optional.empty(), Optional.empty(), false, 0);

    private RegistryClient client(Repository repo, Action.Access access, TargetProbe.Context context) {
        RegistryClient.Options options = RegistryClient.Options.defaults().withTimeout(TIMEOUT);
        return new RegistryClient(http, Registries.credentials(repo.host(), access, context.secrets(), context.environment()),
                access.insecure() ? options.withInsecure(Set.of(repo.host())) : options, MAX_BACKOFF);
    }

    private Optional<TargetProbe.Question> question(String repository, List<String> tags, Action.Access access,
            TargetProbe.Context context) {
        if (repository.startsWith("oci:")) {
            return Optional.empty();
        }
        return Optional.of(new TargetProbe.Question(repository, () -> {
            Repository repo = Repository.parse(repository);
            try {
                RegistryClient client = client(repo, access, context);
                try {
                    client.tags(repo);
                } catch (RegistryException e) {
                    if (e.status() != 404) { // 404: a repository not made yet, which the registry answered
                        throw e;
                    }
                }
                client.mayPush(repo);
                return budget(client, repo, tags.isEmpty() ? "latest" : tags.getFirst(), access, context);
            } catch (RegistryException e) {
                return Optional.of(e.status() == 401 || e.status() == 403
                        ? "the credentials may not push there (" + e.getMessage() + ")" : e.getMessage());
            } catch (JobFailure e) {
                return Optional.of(e.getMessage()); // a credential that cannot be read
            }
        }));
    }

    /** The bases {@code image} is made on: its {@code from:}, or what its Dockerfile's {@code FROM} lines name (none when it cannot be read yet). */
    static List<ImageReference> bases(Action.Image image, java.nio.file.Path project) {
        if (image.build().isEmpty()) {
            return RegistryDemand.from(image);
        }
        Action.DockerBuild build = image.build().get();
        try {
            return DockerfileBuild.bases(Dockerfile.read(project.resolve(build.dockerfile())), build.args());
        } catch (IOException e) {
            return List.of(); // made by a build of this release: its bases are not known before it runs
        }
    }

    /**
     * Whether the registry's rate limit lets the release finish: a manifest HEAD (not counted
     * itself) brings the registry's {@code ratelimit-*} headers; fewer requests left than the
     * release needs (see {@link RegistryDemand}) refuses it now, since the registry would refuse
     * it half-way with 429 for hours. A declared budget that is too small only paces the release:
     * that is told, with about how long it will wait.
     */
    private static Optional<String> budget(RegistryClient client, Repository repo, String reference,
            Action.Access access, TargetProbe.Context context) {
        String host = dev.cutter.oci.RegistryHost.of(repo.host()).name();
        RateLimits limits = client.rateLimits();
        access.ratelimit().ifPresent(b -> limits.declare(host, RateLimits.Budget.parse(b)));
        long needed = RegistryDemand.manifestRequests(context.jobs(), host, image -> bases(image, context.projectDir()));
        try {
            client.headManifest(repo, reference);
        } catch (RegistryException e) {
            return Optional.of(e.getMessage()); // a registry that answered the tag list but not this
        }
        Optional<RateLimits.Reported> reported = limits.reported(host);
        if (reported.isPresent() && reported.get().remaining() < needed) {
            RateLimits.Reported r = reported.get();
            return Optional.of("its rate limit has " + r + "; this release needs about " + needed + " manifest pulls and pushes"
                    + " there, so the registry would refuse it half-way (429). Log in (`cutter login " + host + "`: signed-in"
                    + " accounts have a higher limit), wait" + r.window().map(w -> " up to " + RateLimits.Budget.periodText(w))
                    .orElse("") + " for the window to free requests, or release fewer images at once");
        }
        reported.ifPresent(r -> context.notes().accept(host, "rate limit: " + r + "; this release needs about " + needed
                + " manifest pulls and pushes"));
        limits.declared(host).ifPresent(budget -> {
            Duration wait = limits.waitFor(host, needed);
            context.notes().accept(host, "ratelimit " + budget + ": this release needs about " + needed + " manifest pulls and pushes"
                    + (wait.isZero() ? ", within the budget" : "; paced to the budget, it waits about "
                    + RateLimits.Budget.periodText(wait) + " for them"));
        });
        return Optional.empty();
    }
}
