package dev.cutter.kinds.release;

import dev.cutter.content.Digest;
import dev.cutter.ledger.Artifact;
import dev.cutter.plan.Action;
import dev.cutter.plan.Job;
import dev.cutter.release.Asset;
import dev.cutter.release.DirectoryStore;
import dev.cutter.release.forge.ForgeStores;
import dev.cutter.release.ExistsPolicy;
import dev.cutter.release.InvalidReleaseException;
import dev.cutter.release.PublishResult;
import dev.cutter.release.ReleaseDraft;
import dev.cutter.release.ReleaseExistsException;
import dev.cutter.release.ReleaseInfo;
import dev.cutter.release.ReleaseStore;
import dev.cutter.run.JobContext;
import dev.cutter.run.JobFailure;
import dev.cutter.run.ActionHandler;
import dev.cutter.run.JobOutcome;
import dev.cutter.run.Preflight;
import dev.cutter.run.jobs.DistFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Publishes the release with the files the jobs it needs produced. Identical content already in
 * the store is a skip; other content is refused unless the channel is rolling (exists: replace).
 */
public final class ReleaseJob implements ActionHandler<Action.Release>, Preflight<Action.Release> {

    private final Map<String, String> environment;
    private final java.net.http.HttpClient http;

    public ReleaseJob(Map<String, String> environment, java.net.http.HttpClient http) {
        this.environment = environment;
        this.http = http;
    }

    @Override
    public Optional<String> problem(Action.Release release) {
        String store = release.store();
        return store.startsWith("dir:") || ForgeStores.isForge(store) ? Optional.empty()
                : Optional.of("the release store " + store + " is not available yet (use dir:PATH, github:, gitlab: or gitea:)");
    }

    /**
     * Release notes when the spec gives none: the changes since the previous release of the same
     * line (the newest earlier tag of this project's pattern; for a stable version, the newest
     * earlier stable one), grouped as conventional commits. Empty outside a git checkout.
     */
    static String changelog(JobContext context) {
        var plan = context.plan();
        if (plan.sha().isEmpty()) {
            return "";
        }
        var pattern = dev.cutter.version.TagPattern.of(plan.tag().equals(plan.version()) ? "{version}"
                : plan.tag().substring(0, plan.tag().indexOf(plan.version())) + "{version}"
                        + plan.tag().substring(plan.tag().indexOf(plan.version()) + plan.version().length()));
        boolean stable = !plan.version().contains("-");
        try (var git = dev.cutter.git.GitRepository.open(context.projectDir())) {
            var previous = git.previousTag(name -> !name.equals(plan.tag()) && pattern.extractVersion(name, plan.component().orElse(""))
                    .filter(v -> !stable || !v.contains("-")).isPresent(), plan.sha().get());
            var changes = git.changelog(previous.map(dev.cutter.git.Tag::commit), plan.sha().get());
            String body = changes.markdown();
            return previous.map(p -> "Changes since " + p.name() + ".\n\n").orElse("") + body;
        } catch (dev.cutter.git.GitException e) {
            context.log().info("no release notes from git: " + e.getMessage());
            return "";
        }
    }

    /**
     * The store a {@code store:} value names: {@code dir:PATH} beside the spec, or a forge's
     * releases ({@code github:OWNER/REPO}, {@code gitlab:GROUP/PROJECT}, {@code gitea:HOST/OWNER/REPO})
     * with {@code token} (resolved), else the forge's usual variable in {@code environment}; a
     * directory store makes its files in {@code staging} first.
     */
    public static ReleaseStore store(String store, Optional<String> token, Path projectDir, dev.cutter.content.Staging staging,
            Map<String, String> environment, java.net.http.HttpClient http) {
        if (store.startsWith("dir:")) {
            return new DirectoryStore(projectDir.resolve(store.substring(4)), staging);
        }
        return ForgeStores.open(store, token, environment, http).orElseThrow(() ->
                JobFailure.failed("the release store " + store + " is not available yet (use dir:PATH, github:, gitlab: or gitea:)"));
    }

    /** The store of a planned release, its token resolved now. */
    public static ReleaseStore store(JobContext context, Action.Release release, Map<String, String> environment,
            java.net.http.HttpClient http) {
        return store(release.store(), release.token().map(context.secrets()::resolve), context.projectDir(), DistFiles.staging(context),
                environment, http);
    }

    /**
     * What a release asks its store before the release starts: whether it answers, and its
     * credentials may publish there ({@link ReleaseStore#mayPublish}). Nothing is written.
     */
    public Optional<dev.cutter.run.TargetProbe.Question> question(Action.Release release, dev.cutter.run.TargetProbe.Context context) {
        return Optional.of(new dev.cutter.run.TargetProbe.Question(release.store(), () -> store(release.store(),
                release.token().map(context.secrets()::resolve), context.projectDir(),
                dev.cutter.content.Staging.forRun(context.projectDir(), "preflight"), environment, http).mayPublish()));
    }

    @Override
    public JobOutcome run(JobContext context, Action.Release release) throws Exception {
        ReleaseStore store = store(context, release, environment, http);
        List<Asset> assets = new ArrayList<>();
        for (Artifact output : context.artifacts().ofJobs(context.job().needs())) {
            if (!Artifact.RELEASE_ASSETS.contains(output.kind())) {
                continue;
            }
            Optional<Integer> order = context.plan().job(output.jobId()).map(Job::made)
                    .flatMap(made -> made instanceof Action.Archive archive ? archive.installOrder() : Optional.empty());
            Path file = context.projectDir().resolve(output.path());
            assets.add(new Asset(file.getFileName().toString(), file, output.digest(), output.size(), order));
        }
        if (!release.exists().equals("replace") && keepsItsProvenance(context, store, release, assets)) {
            return JobOutcome.skipped("release " + release.name() + " is already in " + store.describe() + " with these "
                    + assets.size() + " assets; the provenance it holds stays", List.of());
        }
        var plan = context.plan();
        ReleaseDraft draft = new ReleaseDraft(release.name(), plan.project(), plan.version(), plan.channel(), plan.tag(),
                plan.sha(), Instant.now(), assets, release.notes().orElseGet(() -> changelog(context)), release.prerelease(),
                release.draft(), target(context, release));
        PublishResult result;
        try {
            result = store.publish(draft, release.exists().equals("replace") ? ExistsPolicy.REPLACE : ExistsPolicy.FAIL);
        } catch (ReleaseExistsException e) {
            throw JobFailure.refused(e.getMessage());
        } catch (dev.cutter.release.StoreUnreachableException e) {
            throw new JobFailure(JobFailure.Kind.UNREACHABLE, e.getMessage(), e.retryable(), e.retryAfter().orElse(null), e);
        } catch (InvalidReleaseException e) {
            throw JobFailure.failed(e.getMessage());
        }
        String target = store.describe() + "/" + release.name();
        String after = contentDigest(result.release());
        return switch (result.outcome()) {
            case UNCHANGED -> JobOutcome.skipped("release " + release.name() + " is already in " + store.describe()
                    + " with these " + assets.size() + " assets", List.of(),
                    List.of(context.effect(dev.cutter.ledger.Effect.CONFIRMED, target, Optional.of(after), after)));
            case CREATED -> JobOutcome.done("published " + target + " with " + assets.size() + " assets", List.of(),
                    List.of(context.effect("release", target, Optional.empty(), after)));
            case REPLACED -> JobOutcome.done("replaced " + target + " (rolling)", List.of(),
                    List.of(context.effect("release", target, result.replaced().map(ReleaseJob::contentDigest), after)));
        };
    }

    /**
     * Whether the store holds this release with every asset as made here except the provenance,
     * which another run of the same release recorded: the first record stays ({@link Artifact#PROVENANCE}).
     */
    private static boolean keepsItsProvenance(JobContext context, ReleaseStore store, Action.Release release, List<Asset> assets)
            throws Exception {
        Set<String> provenance = new java.util.HashSet<>();
        for (Artifact output : context.artifacts().ofJobs(context.job().needs())) {
            if (output.kind().equals(Artifact.PROVENANCE)) {
                provenance.add(context.projectDir().resolve(output.path()).getFileName().toString());
            }
        }
        if (provenance.isEmpty()) {
            return false;
        }
        Optional<ReleaseInfo> found;
        try {
            found = store.find(release.name());
        } catch (dev.cutter.release.ReleaseException e) {
            return false; // the publication says what is wrong with the store
        }
        if (found.isEmpty() || found.get().assets().size() != assets.size()) {
            return false;
        }
        java.util.Map<String, dev.cutter.content.Digest> there = new java.util.HashMap<>();
        found.get().assets().forEach(a -> there.put(a.name(), a.digest()));
        return assets.stream().allMatch(a -> there.containsKey(a.name())
                && (provenance.contains(a.name()) || there.get(a.name()).equals(a.digest())))
                && assets.stream().anyMatch(a -> provenance.contains(a.name()) && !there.get(a.name()).equals(a.digest()));
    }

    /**
     * What the store makes the release's tag from when it has no such tag: the spec's {@code
     * target:}; else the release's commit, unless the store is a forge repository other than the
     * checkout's source remote (the one the spec's {@code git:} names, else {@code origin}) — that
     * repository does not have the commit (GitHub answers 422, GitLab 400, Gitea 404), so its
     * default branch. Without such a remote the store is taken to be the source repository.
     */
    static Optional<String> target(JobContext context, Action.Release release) {
        if (release.target().isPresent()) {
            return release.target();
        }
        Optional<String> commit = context.plan().sha();
        if (commit.isEmpty() || !ForgeStores.isForge(release.store())) {
            return commit;
        }
        String remote = release.remote().orElse("origin");
        try (var git = dev.cutter.git.GitRepository.open(context.projectDir())) {
            Optional<String> source = git.remoteUrl(remote);
            if (source.isPresent() && !ForgeStores.sameRepository(release.store(), source.get())) {
                // the URL without its user part: an https remote may carry a token
                context.log().info(release.store() + " is not the source repository (" + remote + " "
                        + source.get().replaceFirst("(?<=://)[^/@]*@", "") + "): a missing tag "
                        + context.plan().tag() + " is made from its default branch, not from " + commit.get());
                return Optional.empty();
            }
            return commit;
        } catch (dev.cutter.git.GitException e) {
            return commit;
        }
    }

    /** One digest over a release's assets (name, digest, size), so the ledger tells two versions of it apart. */
    static String contentDigest(ReleaseInfo info) {
        String lines = info.assets().stream().map(a -> a.name() + " " + a.digest() + " " + a.size())
                .collect(Collectors.joining("\n"));
        return Digest.sha256(lines.getBytes(StandardCharsets.UTF_8)).toString();
    }

}
