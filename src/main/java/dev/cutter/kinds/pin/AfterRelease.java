package dev.cutter.kinds.pin;

import dev.cutter.content.Staging;
import dev.cutter.git.GitException;
import dev.cutter.git.GitRemoteException;
import dev.cutter.git.GitRepository;
import dev.cutter.git.Identity;
import dev.cutter.git.TagMovedException;
import dev.cutter.pin.PinEdit;
import dev.cutter.pin.PinException;
import dev.cutter.pin.Pins;
import dev.cutter.plan.Action;
import dev.cutter.plan.Plan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What follows a whole release of components ({@code release --all}), in the seed's order: the
 * project's version tag on the pinned commit (the commit the module tags are on, which the project
 * release was made from), then the {@code revert-after} pins restored in one commit of their own,
 * pushed to the branch. Run again, it changes nothing: the tag is already at that commit and the
 * pins are already back.
 *
 * @param projectDir the checkout
 * @param versionTag the project's version tag ({@code v0.10.0})
 * @param moduleTag the last module tag made, whose commit is the pinned one
 * @param base the commit the release was planned from: what the reverted pins go back to
 * @param pins every pin of the release (those with {@code revert-after} are restored)
 * @param project and version, for the tag's annotation
 * @param route where the tag and the revert commit go (the spec's {@code git:})
 */
public record AfterRelease(Path projectDir, String versionTag, String moduleTag, Optional<String> base, List<Action.Pin> pins,
        String project, String version, Action.GitRoute route) {

    /** A refusal (a version tag elsewhere on the remote) or a failure, said plainly; nothing after it was done. */
    public static final class Problem extends Exception {
        private final PinRoute.Stopped.Kind kind;

        Problem(String message, boolean refused) {
            this(message, refused ? PinRoute.Stopped.Kind.REFUSED : PinRoute.Stopped.Kind.FAILED);
        }

        Problem(String message, PinRoute.Stopped.Kind kind) {
            super(message);
            this.kind = kind;
        }

        /** Whether a law or the remote's rule refused it (exit 3), rather than something failing (exit 1). */
        public boolean refused() {
            return kind == PinRoute.Stopped.Kind.REFUSED;
        }

        /** Whether a remote or the forge could not be reached, or did not merge in time (exit 4). */
        public boolean unreachable() {
            return kind == PinRoute.Stopped.Kind.UNREACHABLE;
        }
    }

    /** From the project's plan and the components' plans of one release. */
    public static AfterRelease of(Path projectDir, Plan project, List<Plan> components) {
        List<Action.Pin> pins = new ArrayList<>();
        String moduleTag = components.isEmpty() ? "" : components.get(components.size() - 1).tag();
        for (Plan plan : components) {
            plan.actions(Action.Pin.class).forEach(pins::add);
        }
        Action.GitRoute route = components.stream().flatMap(p -> p.actions(Action.Tag.class)).flatMap(t -> t.route().stream()).findFirst()
                .orElse(Action.GitRoute.standard());
        return new AfterRelease(projectDir, project.tag(), moduleTag, project.sha(), pins, project.project(), project.version(), route);
    }

    /**
     * After one component released by itself ({@code release --component}): no version tag, only
     * its {@code revert-after} pins restored, so the branch does not stay pinned.
     */
    public static AfterRelease ofComponent(Path projectDir, Plan component) {
        AfterRelease all = of(projectDir, component, List.of(component));
        return new AfterRelease(projectDir, "", all.moduleTag(), all.base(), all.pins(), all.project(), all.version(), all.route());
    }

    /**
     * Tags (when there is a version tag to make) and reverts, the revert commit sent by the
     * spec's {@code git:} route (pushed, or through a pull request); returns what it did, one line.
     *
     * @param secrets resolves the forge's token
     * @param log where a pull request's progress goes
     * @throws Problem when the version tag is elsewhere on the remote, the revert does not reach the branch, or git fails
     */
    public String run(Map<String, String> environment, dev.cutter.run.Secrets secrets, java.util.function.Consumer<String> log,
            dev.cutter.run.Cancellation cancellation) throws Problem, IOException, InterruptedException {
        PinRoute delivery = new PinRoute(route, () -> dev.cutter.release.forge.PullRequests.open(route.forge().orElseThrow(),
                route.token().map(secrets::resolve), environment, dev.cutter.oci.RegistryClient.http()), log, cancellation,
                java.time.Clock.systemUTC());
        try (GitRepository git = GitRepository.open(projectDir)) {
            Identity who = identity(environment);
            String pinned = git.resolve(moduleTag + "^{commit}").or(git::head)
                    .orElseThrow(() -> new Problem(projectDir + " has no commit to tag " + versionTag + " on", false));
            if (!versionTag.isEmpty()) {
                git.tag(versionTag, pinned, project + " " + version, who);
                git.pushTags(route.remote(), List.of(versionTag));
            }
            String tagged = versionTag.isEmpty() ? moduleTag : versionTag;
            String subject = "Revert pins after " + tagged;
            int reverted = revert(git, who, subject);
            String head = git.head().orElseThrow();
            if (reverted > 0 || git.message(head).lines().findFirst().orElse("").equals(subject)) { // made now, or by an earlier run
                delivery.deliver(git, head, PinRoute.branchFor(project, version, "revert"), subject,
                        TagJob.pullRequestBody(git.message(head), project, version));
            }
            return tagged + " at " + pinned.substring(0, 12) + (reverted > 0 ? ", " + reverted + " pinned files reverted" : "");
        } catch (PinRoute.Stopped e) {
            throw new Problem(e.getMessage(), e.kind());
        } catch (TagMovedException e) {
            throw new Problem(e.getMessage() + "; a version tag never moves: release a new version instead", true);
        } catch (GitRemoteException e) {
            throw new Problem(e.getMessage(), PinRoute.Stopped.Kind.UNREACHABLE);
        } catch (GitException | PinException e) {
            throw new Problem(e.getMessage(), false);
        }
    }

    /**
     * Puts back what the {@code revert-after} pins replaced, as the file had it just before the
     * release's first pins commit ({@link #base} when there is none), so a run again reverts alike,
     * and commits that. The value to revert from is the one the
     * file holds now: a digest read when pinning need not be read again.
     */
    private int revert(GitRepository git, Identity who, String subject) throws IOException {
        if (base.isEmpty()) {
            return 0;
        }
        // before the release's first pins commit: the plan's commit, unless this run was planned after
        // some pins were made (a release run again after a failure), whose commit has them already
        String from = git.oldestWithSubject("HEAD", s -> s.startsWith("Pin ") && s.endsWith(" " + version), 1000)
                .flatMap(git::parent).orElse(base.get());
        List<Path> files = new ArrayList<>();
        try (Staging staging = Staging.forProcess(projectDir)) {
            for (Action.Pin pin : pins) {
                if (!pin.revertAfter()) {
                    continue;
                }
                Path file = projectDir.resolve(pin.file()).toAbsolutePath().normalize();
                String before = new String(git.read(from, file).orElseThrow(() -> new PinException(pin.file()
                        + " did not exist at " + from + ", the commit before the release's pins; nothing to revert to")),
                        StandardCharsets.UTF_8).replaceFirst("^\uFEFF", "");
                String now = PinEdit.apply(java.nio.file.Files.readString(file).replaceFirst("^\uFEFF", ""), PinJob.pin(pin),
                        pin.value().isEmpty() ? "sha256:" + "0".repeat(64) : pin.value()).previous(); // what is there now
                if (now == null) {
                    continue; // a kustomize field that is not there: nothing pinned
                }
                PinEdit.Result original = PinEdit.apply(before, PinJob.pin(pin), now);
                if (!original.changed()) {
                    continue; // already what it was before the release
                }
                Pins.revert(new Pins.Edit(file, PinJob.pin(pin), original.previous(), now, true, original.previousSource()), staging);
                if (!files.contains(file)) {
                    files.add(file);
                }
            }
        }
        if (files.isEmpty()) {
            return 0;
        }
        return git.commit(files, subject + "\n\nBack to what they were before the release.", who).created()
                ? files.size() : 0;
    }

    private static Identity identity(Map<String, String> environment) {
        String name = first(environment.get("GIT_COMMITTER_NAME"), environment.get("GIT_AUTHOR_NAME"), "Cutter");
        String email = first(environment.get("GIT_COMMITTER_EMAIL"), environment.get("GIT_AUTHOR_EMAIL"), "cutter@localhost");
        Instant time = dev.cutter.content.SourceDateEpoch.of(environment).orElseGet(Instant::now);
        return new Identity(name, email, time);
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
