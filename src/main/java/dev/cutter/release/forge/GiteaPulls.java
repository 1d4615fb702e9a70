package dev.cutter.release.forge;

import java.util.Comparator;
import java.util.Optional;

/**
 * Pull requests of a Gitea (or Forgejo) repository (https://gitea.com/api/swagger):
 * {@code GET /repos/{o}/{r}/pulls?state=all} (filtered here by head and base: the list has no
 * head filter), {@code POST /repos/{o}/{r}/pulls}, {@code GET /repos/{o}/{r}/pulls/{index}},
 * {@code POST /repos/{o}/{r}/pulls/{index}/merge} and the head commit's combined status
 * ({@code GET /repos/{o}/{r}/commits/{sha}/status}).
 */
final class GiteaPulls extends GitHubShapedPulls {
    GiteaPulls(String repository, ForgeApi api) {
        super("gitea", repository, api);
    }

    @Override
    public Optional<PullRequest> find(String branch, String base) {
        return api.pages(repo("/pulls?state=all&limit=50"), "list the pull requests").stream()
                .filter(j -> j.path("base").path("ref").asText().equals(base)).map(this::pull).filter(p -> p.branch().equals(branch))
                .max(Comparator.comparingLong(PullRequest::number));
    }

    @Override
    public PullRequest open(String branch, String base, String title, String body) {
        var json = ForgeApi.JSON.createObjectNode().put("head", branch).put("base", base).put("title", title).put("body", body);
        return open(branch, base, json, 409); // "pull request already exists for these targets"
    }

    /** The combined status: {@code {"state": "pending"|"success"|"error"|"failure"|"warning", "statuses": […]}}. */
    @Override
    public PullRequest.Checks checks(PullRequest pull) {
        Tally tally = new Tally();
        combinedStatus(pull, "read the status of " + pull.head(), tally);
        return tally.verdict();
    }

    @Override
    public Optional<String> merge(PullRequest pull, String title) {
        var json = ForgeApi.JSON.createObjectNode().put("Do", "merge").put("head_commit_id", pull.head()).put("MergeTitleField", title);
        return PullRequests.attempt(api, "POST", repo("/pulls/" + pull.number() + "/merge"), json, "merge pull request #" + pull.number(),
                200);
    }
}
