package dev.cutter.kinds.pin;

import dev.cutter.git.GitException;
import dev.cutter.git.GitRemoteException;
import dev.cutter.git.GitRepository;
import dev.cutter.git.PushRefusedException;
import dev.cutter.plan.Action;
import dev.cutter.release.ReleaseException;
import dev.cutter.release.StoreUnreachableException;
import dev.cutter.release.forge.PullRequest;
import dev.cutter.release.forge.PullRequests;
import dev.cutter.run.Cancellation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * How a commit Cutter made (a component's pins, the reverted pins) reaches the branch, by the
 * spec's {@code git:} ({@link Action.GitRoute}): pushed to it, or sent to a branch of its own
 * whose pull request is opened on the forge, merged there (by Cutter when the checks passed and
 * the token may, else by someone else within the wait), and followed: the checkout moves to the
 * merged commit, which is the one to tag.
 *
 * <p>The branch of a pull request is named from the project, the version and what it carries
 * ({@link #branchFor}), so a run resumed, or run again, finds its own pull request (open or merged
 * with this very commit) and never opens a second one.
 */
public final class PinRoute {
    /** Why a commit did not reach the branch; nothing was tagged after it. */
    public static final class Stopped extends Exception {
        /** A rule of the remote or the forge refused it (exit 3), it could not be reached or not in time (4), or something failed (1). */
        public enum Kind { REFUSED, UNREACHABLE, FAILED }

        private final Kind kind;

        Stopped(Kind kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }
    }

    private final Action.GitRoute route;
    private final Supplier<PullRequests> forge;
    private final Consumer<String> log;
    private final Cancellation cancellation;
    private final Clock clock;

    /**
     * @param forge opens the forge's pull requests when first needed (its token resolved then)
     * @param log where progress goes (a job's log, the terminal)
     */
    public PinRoute(Action.GitRoute route, Supplier<PullRequests> forge, Consumer<String> log, Cancellation cancellation, Clock clock) {
        this.route = route;
        this.forge = forge;
        this.log = log;
        this.cancellation = cancellation;
        this.clock = clock;
    }

    /** The remote tags and pins go to. */
    public String remote() {
        return route.remote();
    }

    /** The branch pins go to: the spec's, else the one the checkout is on. */
    public Optional<String> branch(GitRepository git) {
        return route.branch().or(git::branch);
    }

    /**
     * The branch of a pull request: {@code cutter/PROJECT/VERSION/WHAT} ({@code pins-COMPONENT},
     * {@code revert}), the same on every run of the version.
     */
    public static String branchFor(String project, String version, String what) {
        return "cutter/" + part(project) + "/" + part(version) + "/" + part(what);
    }

    private static String part(String s) {
        String safe = s.replaceAll("[^A-Za-z0-9._-]", "-").replaceAll("\\.{2,}", ".").replaceAll("^[.-]+", "");
        return safe.endsWith(".lock") || safe.endsWith(".") ? safe + "_" : safe;
    }

    /**
     * Sends {@code commit} (the checkout's HEAD, a commit of Cutter's) to the branch and returns
     * the commit to tag: {@code commit} itself when pushed, the merge's when through a pull request.
     *
     * @param prBranch the pull request's branch ({@link #branchFor})
     * @param title the pull request's title (the commit's subject)
     * @param body its description: the changes, listed
     */
    public String deliver(GitRepository git, String commit, String prBranch, String title, String body) throws Stopped,
            InterruptedException {
        Optional<String> base = branch(git);
        try {
            if (!route.pullRequest()) {
                if (base.isPresent()) {
                    git.pushBranch(route.remote(), commit, base.get());
                }
                return commit;
            }
            if (base.isEmpty()) {
                throw new Stopped(Stopped.Kind.FAILED, "the checkout is on a detached HEAD, so there is no branch for the pull request"
                        + " of " + title + " to go into: name it in cutter.yaml (git: { branch: main })");
            }
            return throughPullRequest(git, commit, base.get(), prBranch, title, body);
        } catch (PushRefusedException e) {
            throw new Stopped(Stopped.Kind.REFUSED, e.getMessage() + "; " + e.ref() + " takes no direct push (a protected branch):"
                    + " send the pins through a pull request instead, with git: { via: pull-request, forge: github:OWNER/REPO }"
                    + " in cutter.yaml; nothing was tagged");
        } catch (GitRemoteException e) {
            throw new Stopped(Stopped.Kind.UNREACHABLE, e.getMessage());
        } catch (StoreUnreachableException e) {
            throw new Stopped(Stopped.Kind.UNREACHABLE, e.getMessage() + "; nothing was tagged");
        } catch (GitException | ReleaseException e) {
            throw new Stopped(Stopped.Kind.FAILED, e.getMessage());
        }
    }

    /** Fetches the branch from the remote into its tracking ref; returns that ref. */
    private String fetch(GitRepository git, String base) {
        String tracking = "refs/remotes/" + route.remote() + "/" + base;
        git.fetch(route.remote(), List.of("+refs/heads/" + base + ":" + tracking));
        return tracking;
    }

    private String throughPullRequest(GitRepository git, String commit, String base, String prBranch, String title, String body)
            throws Stopped, InterruptedException {
        PullRequests pulls = forge.get();
        Optional<PullRequest> found = pulls.find(prBranch, base)
                .filter(p -> p.head().equals(commit) || p.state() == PullRequest.State.OPEN);
        String tracking = fetch(git, base);
        if (found.isEmpty() && git.contains(tracking, commit)) {
            return commit; // on the branch already, by no pull request of this release: nothing to ask for
        }
        PullRequest pull;
        if (found.isPresent()) {
            pull = found.get();
            log.accept("pull request #" + pull.number() + " (" + pull.url() + ") of " + prBranch + " found, " + state(pull));
        } else {
            git.pushBranch(route.remote(), commit, prBranch);
            pull = pulls.open(prBranch, base, title, body);
            log.accept("pull request #" + pull.number() + " (" + pull.url() + ") opened from " + prBranch + " into " + base);
        }
        String merged = awaitMerge(pulls, pull, title);
        fetch(git, base);
        if (!git.contains("refs/remotes/" + route.remote() + "/" + base, merged)) {
            throw new Stopped(Stopped.Kind.FAILED, pulls.forge() + ": pull request #" + pull.number() + " was merged as " + merged
                    + ", which is not on " + base + " of " + route.remote() + " (the branch moved back?); nothing was tagged");
        }
        git.moveTo(merged);
        log.accept("pull request #" + pull.number() + " merged as " + merged.substring(0, 12));
        return merged;
    }

    /** Polls until merged (merging it when it may), closed, failing its checks, or out of time. */
    private String awaitMerge(PullRequests pulls, PullRequest opened, String title) throws Stopped, InterruptedException {
        Duration wait = Duration.ofSeconds(route.waitSeconds());
        Instant deadline = clock.instant().plus(wait);
        String what = "pull request #" + opened.number() + " (" + opened.url() + ")";
        String waitingFor = "its merge";
        while (true) {
            PullRequest pull = pulls.get(opened.number());
            switch (pull.state()) {
                case MERGED -> {
                    return pull.mergeCommit().orElseThrow(() -> new Stopped(Stopped.Kind.FAILED, pulls.forge() + ": " + what
                            + " is merged but the forge names no merge commit; tag it by hand"));
                }
                case CLOSED -> throw new Stopped(Stopped.Kind.REFUSED, pulls.forge() + ": " + what + " was closed without being merged:"
                        + " its changes did not reach the branch, so nothing was tagged; reopen and merge it, then run the release"
                        + " again (it finds the pull request), or delete the branch " + pull.branch() + " to start over");
                case OPEN -> { }
            }
            PullRequest.Checks checks = pulls.checks(pull);
            if (checks.verdict() == PullRequest.Checks.Verdict.FAILED) {
                throw new Stopped(Stopped.Kind.REFUSED, pulls.forge() + ": checks failed on " + what + ": "
                        + String.join(", ", checks.failed()) + "; it was not merged and nothing was tagged: fix them, then run the"
                        + " release again (it finds the pull request)");
            }
            if (checks.verdict() == PullRequest.Checks.Verdict.PENDING) {
                waitingFor = "its checks to pass";
            } else if (route.merge().equals("auto")) {
                Optional<String> refused = pulls.merge(pull, title);
                if (refused.isEmpty()) {
                    continue; // read it again: the merge commit
                }
                if (!waitingFor.endsWith(refused.get())) {
                    log.accept(what + ": the forge does not let this token merge it yet (" + refused.get() + "); waiting for a person to");
                }
                waitingFor = "someone to merge it (the forge refused this token: " + refused.get() + ")";
            } else {
                waitingFor = "someone to merge it (merge: wait)";
            }
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) {
                throw new Stopped(Stopped.Kind.UNREACHABLE, pulls.forge() + ": " + what + " was not merged within " + human(wait)
                        + " (waiting for " + waitingFor + "); nothing was tagged: merge it, then run the release again (it finds the"
                        + " pull request and tags the merged commit), or give git: { wait: … } more time");
            }
            sleep(Duration.ofSeconds(route.pollSeconds()).compareTo(Duration.between(now, deadline)) < 0
                    ? Duration.ofSeconds(route.pollSeconds()) : Duration.between(now, deadline));
        }
    }

    private void sleep(Duration pause) throws InterruptedException {
        long end = System.nanoTime() + pause.toNanos();
        while (System.nanoTime() < end) {
            cancellation.throwIfCancelled();
            Thread.sleep(Math.max(1, Math.min(200, (end - System.nanoTime()) / 1_000_000)));
        }
    }

    private static String state(PullRequest pull) {
        return switch (pull.state()) {
            case OPEN -> "open";
            case MERGED -> "merged";
            case CLOSED -> "closed";
        };
    }

    private static String human(Duration d) {
        long s = d.toSeconds();
        return s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
    }
}
