package dev.cutter.kinds.pin;

import dev.cutter.git.GitException;
import dev.cutter.git.GitRemoteException;
import dev.cutter.git.GitRepository;
import dev.cutter.git.Identity;
import dev.cutter.git.PushResult;
import dev.cutter.git.TagMovedException;
import dev.cutter.pin.PinException;
import dev.cutter.release.forge.PullRequests;
import dev.cutter.plan.Action;
import dev.cutter.plan.Planned;
import dev.cutter.run.JobContext;
import dev.cutter.run.JobFailure;
import dev.cutter.run.ActionHandler;
import dev.cutter.run.JobOutcome;
import dev.cutter.run.Promoter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.cutter.run.jobs.Registries;

/**
 * A component's module tag, which never moves once pushed (Go's module proxy keeps the first
 * hash it saw): the pins its pin jobs set are committed, the commit is tagged (annotated), the
 * branch and then the tag are pushed — refused, with both commits named, when the remote has
 * the tag elsewhere; accepted when it has it at this very commit (a resumed run). The branch is
 * reached by the spec's {@code git:} route ({@link PinRoute}): pushed, or through a pull request
 * whose merged commit is the one tagged. The
 * {@code revert-after} pins stay pinned: the project's release is made on this commit, and
 * {@link AfterRelease} restores them after it. A promotion's version tag is
 * the same without pins: on the candidate's commit, annotated with the candidate's tag.
 */
public final class TagJob implements ActionHandler<Action.Tag> {
    private final Registries registries;
    private final Map<String, String> environment;
    private final java.net.http.HttpClient http;

    public TagJob(Registries registries, Map<String, String> environment, java.net.http.HttpClient http) {
        this.registries = registries;
        this.environment = environment;
        this.http = http;
    }

    /**
     * What a tag job asks its remote before the release starts: that the route's remote answers and
     * lets these credentials read its tags (what the job reads first). Whether it takes the push is
     * known only when it is sent: git has no way to ask without pushing, and a server's hook (a
     * protected branch) decides then.
     */
    public Optional<dev.cutter.run.TargetProbe.Question> question(Action.Tag tag, dev.cutter.run.TargetProbe.Context context) {
        Action.GitRoute route = tag.route().orElse(Action.GitRoute.standard());
        String target = "git remote " + route.remote() + " of " + context.projectDir()
                + route.forge().filter(f -> route.pullRequest()).map(f -> " and pull requests on " + f).orElse("");
        return Optional.of(new dev.cutter.run.TargetProbe.Question(target, () -> {
            try (GitRepository git = GitRepository.open(context.projectDir())) {
                git.remoteTags(route.remote());
            } catch (dev.cutter.git.GitException e) {
                return Optional.of(e.getMessage());
            }
            if (route.pullRequest() && route.forge().isPresent()) {
                try {
                    return pulls(route, context.secrets(), context.environment()).mayOpen();
                } catch (dev.cutter.release.ReleaseException e) {
                    return Optional.of(e.getMessage());
                }
            }
            return Optional.empty();
        }));
    }

    /** The forge's pull requests, its token resolved now. */
    private PullRequests pulls(Action.GitRoute route, dev.cutter.run.Secrets secrets, Map<String, String> env) {
        return PullRequests.open(route.forge().orElseThrow(), route.token().map(secrets::resolve), env, http);
    }

    @Override
    public JobOutcome run(JobContext context, Action.Tag tag) throws Exception {
        List<Action.Pin> pins = context.plan().jobs(Action.Pin.class).filter(p -> context.job().needs().contains(p.id()))
                .map(Planned::action).toList();
        String version = context.plan().version();
        Action.GitRoute gitRoute = tag.route().orElse(Action.GitRoute.standard());
        PinRoute route = new PinRoute(gitRoute, () -> pulls(gitRoute, context.secrets(), environment), context.log()::info,
                context.cancellation(), java.time.Clock.systemUTC());
        try (GitRepository git = GitRepository.open(context.projectDir())) {
            Identity who = identity(context);
            LinkedHashSet<Path> changed = new LinkedHashSet<>(pins.stream().map(p -> file(context, p)).toList());
            for (Action.AfterPin command : tag.afterPins()) { // in the same commit as the pins
                Path dir = context.projectDir().resolve(command.dir()).normalize();
                Map<Path, String> before = contents(git.changedUnder(dir));
                int status = dev.cutter.run.jobs.Shell.run(context, command.run(), command.env(), dir, environment, command.inheritEnv());
                if (status != 0) {
                    throw JobFailure.failed("after the pins, `" + command.run() + "` in " + command.dir() + " exited with " + status
                            + "; nothing was committed or tagged");
                }
                contents(git.changedUnder(dir)).forEach((file, digest) -> {
                    if (!digest.equals(before.get(file))) { // what the command changed, not what was already dirty
                        changed.add(file);
                    }
                });
            }
            List<Path> files = new ArrayList<>(changed);
            String subject = "Pin " + tag.component() + " " + version;
            boolean committed = false;
            if (!files.isEmpty()) {
                StringBuilder message = new StringBuilder(subject + "\n\n");
                for (Action.Pin p : pins) {
                    message.append("- ").append(p.file()).append(": ").append(p.target()).append(" = ")
                            .append(PinJob.value(context, p, registries)).append('\n');
                }
                for (Action.AfterPin command : tag.afterPins()) {
                    message.append("- then: ").append(command.run()).append(command.dir().equals(".") ? "" : " (in " + command.dir() + ")")
                            .append('\n');
                }
                committed = git.commit(files, message.toString(), who).created();
            }
            String head = git.head().orElseThrow(() -> JobFailure.failed(context.projectDir() + " has no commit to tag"));
            String commit;
            if (tag.commit().isPresent()) {
                commit = git.resolve(tag.commit().get()).orElseThrow(() -> JobFailure.failed(
                        "the commit " + tag.commit().get() + " to tag " + tag.tag() + " on is not in " + context.projectDir()
                                + "; fetch it (git fetch " + gitRoute.remote() + ") and run again"));
            } else if (committed || git.message(head).lines().findFirst().orElse("").equals(subject)) {
                // the pins' commit, made now or by an earlier attempt of this release: it reaches the branch before its tag
                String message = git.message(head);
                commit = route.deliver(git, head, PinRoute.branchFor(context.plan().project(), version, "pins-" + tag.component()),
                        subject, pullRequestBody(message, context.plan().project(), version));
            } else {
                commit = head;
            }
            git.tag(tag.tag(), commit, annotation(context, tag), who);
            PushResult pushed = git.pushTags(gitRoute.remote(), List.of(tag.tag()));
            String detail = tag.tag() + " at " + commit.substring(0, 12);
            if (pushed.sent().isEmpty()) {
                return JobOutcome.skipped(detail + " (already on " + pushed.url() + ")", List.of(), List.of(context.effect(
                        dev.cutter.ledger.Effect.CONFIRMED, pushed.url() + " " + tag.tag(), Optional.of(commit), commit)));
            }
            return JobOutcome.done(detail, List.of(), List.of(context.effect("tag", pushed.url() + " " + tag.tag(), Optional.empty(), commit)));
        } catch (PinRoute.Stopped e) {
            throw switch (e.kind()) {
                case REFUSED -> JobFailure.refused(e.getMessage());
                case UNREACHABLE -> JobFailure.unreachable(e.getMessage(), false);
                case FAILED -> JobFailure.failed(e.getMessage());
            };
        } catch (TagMovedException e) {
            throw JobFailure.refused(e.getMessage() + "; a " + (tag.component().isEmpty() ? "version" : "module")
                    + " tag never moves: release a new version instead");
        } catch (GitRemoteException e) {
            throw JobFailure.unreachable(e.getMessage(), !e.authentication());
        } catch (GitException | PinException e) {
            throw JobFailure.failed(e.getMessage());
        }
    }

    /** A pull request's description: what its commit changes, listed, and who opened it for which release. */
    static String pullRequestBody(String commitMessage, String project, String version) {
        String changes = commitMessage.contains("\n") ? commitMessage.substring(commitMessage.indexOf('\n')).strip() : "";
        return "Opened by `cutter release` for " + project + " " + version + ": once merged, the release tags the merged commit.\n\n"
                + changes + "\n";
    }

    /**
     * A module tag's annotation is its component and version; a promoted version's is the project
     * and version, with a trailer naming the candidate it was promoted from.
     */
    static String annotation(JobContext context, Action.Tag tag) {
        String version = context.plan().version();
        if (tag.component().isEmpty()) {
            return context.plan().project() + " " + version
                    + tag.promotedFrom().map(from -> "\n\n" + Promoter.PROMOTED_FROM + from + "\n").orElse("");
        }
        return tag.component() + " " + version;
    }

    /** Each file's SHA-256, to tell what a command changed. */
    private static Map<Path, String> contents(List<Path> files) throws java.io.IOException {
        Map<Path, String> out = new java.util.HashMap<>();
        for (Path file : files) {
            try {
                out.put(file, java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(java.nio.file.Files.readAllBytes(file))));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    private static Path file(JobContext context, Action.Pin pin) {
        return context.projectDir().resolve(pin.file()).toAbsolutePath().normalize();
    }

    /** Who commits and tags: the git identity of the environment (as git reads it), at the source date. */
    private Identity identity(JobContext context) {
        String name = first(environment.get("GIT_COMMITTER_NAME"), environment.get("GIT_AUTHOR_NAME"), "Cutter");
        String email = first(environment.get("GIT_COMMITTER_EMAIL"), environment.get("GIT_AUTHOR_EMAIL"), "cutter@localhost");
        return new Identity(name, email, context.sourceDate());
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return "";
    }
}
