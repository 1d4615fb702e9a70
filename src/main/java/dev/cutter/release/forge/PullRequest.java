package dev.cutter.release.forge;

import java.util.Optional;

/**
 * A pull request (GitHub, Gitea) or merge request (GitLab) as Cutter follows it.
 *
 * @param number its number in the repository (GitLab's {@code iid})
 * @param url its page, for messages
 * @param branch the branch it merges from
 * @param head the commit at the head of that branch
 * @param mergeCommit the commit its merge made on the target branch, once merged
 */
public record PullRequest(long number, String url, String branch, State state, String head, Optional<String> mergeCommit) {
    /** Open (or GitLab's locked), merged, or closed without being merged. */
    public enum State { OPEN, MERGED, CLOSED }

    /** The checks on a pull request's head commit: none reported, some still running, all passed, or some failed (named). */
    public record Checks(Verdict verdict, java.util.List<String> failed) {
        public enum Verdict { NONE, PENDING, PASSED, FAILED }

        public Checks {
            failed = java.util.List.copyOf(failed);
        }
    }
}
