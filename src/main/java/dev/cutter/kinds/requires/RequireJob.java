package dev.cutter.kinds.requires;

import dev.cutter.git.GitRepository;
import dev.cutter.plan.Action;
import dev.cutter.release.ReleaseStore;
import dev.cutter.release.forge.ForgeStores;
import dev.cutter.run.ActionHandler;
import dev.cutter.run.Awaiting;
import dev.cutter.run.JobContext;
import dev.cutter.run.JobFailure;
import dev.cutter.run.JobOutcome;
import dev.cutter.run.Secrets;
import dev.cutter.run.TargetProbe;
import dev.cutter.run.jobs.Registries;
import dev.cutter.run.requires.Requirement;
import dev.cutter.run.requires.Requirements;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Looks for an upstream release: a tag on a git remote ({@code git ls-remote}), a published
 * release of a forge (a draft is none), an image tag in a registry. The release waits for every
 * one before its first job ({@link Awaiting}); the job itself looks again, waiting as long, so a
 * plan whose jobs run elsewhere (an emitted pipeline) waits as well. Looking changes nothing.
 */
public final class RequireJob implements ActionHandler<Action.Require>, Awaiting<Action.Require> {
    private final Registries registries;
    private final Map<String, String> environment;
    private final HttpClient http;

    public RequireJob(Registries registries, Map<String, String> environment, HttpClient http) {
        this.registries = registries;
        this.environment = environment;
        this.http = http;
    }

    @Override
    public Optional<Requirement> requirement(Action.Require require, TargetProbe.Context context) {
        return Optional.of(requirement(require, context.projectDir(), context.secrets()));
    }

    @Override
    public JobOutcome run(JobContext context, Action.Require require) throws Exception {
        List<Requirements.Result> results = Requirements.waiting().await(List.of(requirement(require, context.projectDir(),
                context.secrets())), (what, note) -> context.log().info(what + ": " + note));
        Optional<String> missing = Requirements.missing(results);
        if (missing.isPresent()) {
            throw JobFailure.unreachable(missing.get(), false);
        }
        return JobOutcome.done(Requires.what(require) + " is there (" + results.get(0).found().orElseThrow() + ")", List.of(), List.of());
    }

    Requirement requirement(Action.Require r, Path projectDir, Secrets secrets) {
        Requirement.Look look = switch (r.source()) {
            case "git" -> () -> gitTag(projectDir, r.from(), r.tag());
            case "release" -> () -> store(r, secrets).hasRelease(r.tag()) ? Optional.of("published") : Optional.empty();
            default -> () -> registries.target(projectDir, secrets, r.from(), r.access()).resolve(r.tag()).map(d -> d.digest().toString());
        };
        return new Requirement(Requires.what(r), Duration.ofSeconds(r.waitSeconds()), look);
    }

    /** The commit the remote's tag points at, read as {@code git ls-remote} reads it, through the project's checkout. */
    private static Optional<String> gitTag(Path projectDir, String url, String tag) {
        try (GitRepository git = GitRepository.open(projectDir)) {
            return Optional.ofNullable(git.remoteTags(url).get(tag)).map(commit -> "at " + commit.substring(0, Math.min(12, commit.length())));
        }
    }

    private ReleaseStore store(Action.Require r, Secrets secrets) {
        return ForgeStores.open(r.from(), r.token().map(secrets::resolve), environment, http)
                .orElseThrow(() -> new IllegalArgumentException(r.from() + " is no forge's releases"));
    }
}
