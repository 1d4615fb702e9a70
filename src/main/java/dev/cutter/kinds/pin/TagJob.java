package dev.cutter.kinds.pin;

import dev.cutter.git.GitException;
import dev.cutter.git.GitRemoteException;
import dev.cutter.git.GitRepository;
import dev.cutter.git.Identity;
import dev.cutter.git.PushResult;
import dev.cutter.git.TagMovedException;
import dev.cutter.pin.PinEdit;
import dev.cutter.pin.PinException;
import dev.cutter.pin.Pins;
import dev.cutter.plan.Action;
import dev.cutter.plan.Job;
import dev.cutter.run.JobContext;
import dev.cutter.run.JobFailure;
import dev.cutter.run.ActionHandler;
import dev.cutter.run.JobOutcome;
import dev.cutter.run.Promoter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.cutter.run.jobs.Registries;
import dev.cutter.run.jobs.DistFiles;

/**
 * A component's module tag, which never moves once pushed (Go's module proxy keeps the first
 * hash it saw): the pins its pin jobs set are committed, the commit is tagged (annotated), the
 * branch and then the tag are pushed — refused, with both commits named, when the remote has
 * the tag elsewhere; accepted when it has it at this very commit (a resumed run) — and the
 * {@code revert-after} pins are restored in a commit of their own. A promotion's version tag is
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
            List<Path> files = new ArrayList<>(new LinkedHashSet<>(pins.stream().map(p -> file(context, p)).toList()));
            if (!files.isEmpty()) {
                StringBuilder message = new StringBuilder("Pin " + tag.component() + " " + version + "\n\n");
                for (Action.Pin p : pins) {
                    message.append("- ").append(p.file()).append(": ").append(p.target()).append(" = ")
                            .append(PinJob.value(context, p, registries)).append('\n');
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
            int reverted = revert(context, git, pins, who, tag, registries);
            if (reverted > 0 && branch.isPresent()) {
                git.pushBranch(REMOTE, git.head().orElseThrow(), branch.get());
            }
            String detail = tag.tag() + " at " + commit.substring(0, 12) + (reverted > 0 ? ", " + reverted + " pins reverted" : "");
            if (pushed.sent().isEmpty()) {
                return JobOutcome.skipped(detail + " (already on " + pushed.url() + ")", List.of());
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

    /**
     * Puts back what the {@code revert-after} pins replaced, as the file had it at the commit the
     * release was planned from (so a resumed run reverts alike), and commits that.
     */
    private static int revert(JobContext context, GitRepository git, List<Action.Pin> pins, Identity who, Action.Tag tag,
            Registries registries) throws java.io.IOException {
        List<Path> files = new ArrayList<>();
        String base = context.plan().sha().orElse(null);
        for (Action.Pin pin : pins) {
            if (!pin.revertAfter() || base == null) {
                continue;
            }
            Path file = file(context, pin);
            String before = new String(git.read(base, file).orElseThrow(() -> JobFailure.failed(pin.file()
                    + " did not exist at " + base + ", the commit the release was planned from; nothing to revert to")),
                    StandardCharsets.UTF_8).replaceFirst("^\uFEFF", "");
            String value = PinJob.value(context, pin, registries);
            PinEdit.Result original = PinEdit.apply(before, PinJob.pin(pin), value);
            if (!original.changed()) {
                continue; // the value was already pinned before the release: nothing to restore
            }
            Pins.revert(new Pins.Edit(file, PinJob.pin(pin), original.previous(), value, true, original.previousSource()),
                    DistFiles.staging(context));
            if (!files.contains(file)) {
                files.add(file);
            }
        }
        if (files.isEmpty()) {
            return 0;
        }
        return git.commit(files, "Revert pins after " + tag.tag() + "\n\nBack to what they were before the release.", who).created()
                ? files.size() : 0;
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
