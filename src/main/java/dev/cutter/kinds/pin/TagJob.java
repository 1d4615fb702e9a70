package dev.cutter.kinds.pin;

import dev.cutter.git.GitException;
import dev.cutter.git.GitRemoteException;
import dev.cutter.git.GitRepository;
import dev.cutter.git.Identity;
import dev.cutter.git.PushResult;
import dev.cutter.git.TagMovedException;
import dev.cutter.pin.PinException;
import dev.cutter.plan.Action;
import dev.cutter.plan.Job;
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
 * the tag elsewhere; accepted when it has it at this very commit (a resumed run). The
 * {@code revert-after} pins stay pinned: the project's release is made on this commit, and
 * {@link AfterRelease} restores them after it. A promotion's version tag is
 * the same without pins: on the candidate's commit, annotated with the candidate's tag.
 */
public final class TagJob implements ActionHandler<Action.Tag> {
    static final String REMOTE = "origin";

    private final Registries registries;
    private final Map<String, String> environment;

    public TagJob(Registries registries, Map<String, String> environment) {
        this.registries = registries;
        this.environment = environment;
    }

    /**
     * What a tag job asks its remote before the release starts: that {@code origin} answers and
     * lets these credentials read its tags (what the job reads first). Whether it takes the push is
     * known only when it is sent: git has no way to ask without pushing, and a server's hook (a
     * protected branch) decides then.
     */
    public Optional<dev.cutter.run.TargetProbe.Question> question(Action.Tag tag, dev.cutter.run.TargetProbe.Context context) {
        return Optional.of(new dev.cutter.run.TargetProbe.Question("git remote " + REMOTE + " of " + context.projectDir(), () -> {
            try (GitRepository git = GitRepository.open(context.projectDir())) {
                git.remoteTags(REMOTE);
                return Optional.empty();
            } catch (dev.cutter.git.GitException e) {
                return Optional.of(e.getMessage());
            }
        }));
    }

    @Override
    public JobOutcome run(JobContext context, Action.Tag tag) throws Exception {
        List<Action.Pin> pins = context.plan().jobs().stream().filter(j -> context.job().needs().contains(j.id()))
                .map(Job::action).filter(a -> a instanceof Action.Pin).map(a -> (Action.Pin) a).toList();
        String version = context.plan().version();
        try (GitRepository git = GitRepository.open(context.projectDir())) {
            Identity who = identity(context);
            Optional<String> branch = git.branch();
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
            if (!files.isEmpty()) {
                StringBuilder message = new StringBuilder("Pin " + tag.component() + " " + version + "\n\n");
                for (Action.Pin p : pins) {
                    message.append("- ").append(p.file()).append(": ").append(p.target()).append(" = ")
                            .append(PinJob.value(context, p, registries)).append('\n');
                }
                for (Action.AfterPin command : tag.afterPins()) {
                    message.append("- then: ").append(command.run()).append(command.dir().equals(".") ? "" : " (in " + command.dir() + ")")
                            .append('\n');
                }
                git.commit(files, message.toString(), who);
            }
            String commit = tag.commit().isPresent() ? git.resolve(tag.commit().get()).orElseThrow(() -> JobFailure.failed(
                    "the commit " + tag.commit().get() + " to tag " + tag.tag() + " on is not in " + context.projectDir()
                            + "; fetch it (git fetch origin) and run again"))
                    : git.head().orElseThrow(() -> JobFailure.failed(context.projectDir() + " has no commit to tag"));
            git.tag(tag.tag(), commit, annotation(context, tag), who);
            if (branch.isPresent() && !files.isEmpty()) { // the pins reach the branch, not only the tag
                git.pushBranch(REMOTE, commit, branch.get());
            }
            PushResult pushed = git.pushTags(REMOTE, List.of(tag.tag()));
            String detail = tag.tag() + " at " + commit.substring(0, 12);
            if (pushed.sent().isEmpty()) {
                return JobOutcome.skipped(detail + " (already on " + pushed.url() + ")", List.of(), List.of(context.effect(
                        dev.cutter.ledger.Effect.CONFIRMED, pushed.url() + " " + tag.tag(), Optional.of(commit), commit)));
            }
            return JobOutcome.done(detail, List.of(), List.of(context.effect("tag", pushed.url() + " " + tag.tag(), Optional.empty(), commit)));
        } catch (TagMovedException e) {
            throw JobFailure.refused(e.getMessage() + "; a " + (tag.component().isEmpty() ? "version" : "module")
                    + " tag never moves: release a new version instead");
        } catch (GitRemoteException e) {
            throw JobFailure.unreachable(e.getMessage(), !e.authentication());
        } catch (GitException | PinException e) {
            throw JobFailure.failed(e.getMessage());
        }
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
