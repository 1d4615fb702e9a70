package dev.cutter.release.forge;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Pull requests of a GitHub repository (REST API 2022-11-28): {@code GET /repos/{o}/{r}/pulls?head=OWNER:BRANCH&base=&state=all},
 * {@code POST /repos/{o}/{r}/pulls}, {@code GET /repos/{o}/{r}/pulls/{n}}, {@code PUT /repos/{o}/{r}/pulls/{n}/merge},
 * and the head commit's checks as GitHub reports them two ways: check runs
 * ({@code GET /repos/{o}/{r}/commits/{sha}/check-runs}) and the combined commit status
 * ({@code GET /repos/{o}/{r}/commits/{sha}/status}).
 */
final class GitHubPulls extends GitHubShapedPulls {
    /** A completed check run with one of these conclusions failed (success, neutral and skipped pass). */
    private static final Set<String> FAILING = Set.of("failure", "cancelled", "timed_out", "action_required", "startup_failure", "stale");

    GitHubPulls(String repository, ForgeApi api) {
        super("github", repository, api);
    }

    @Override
    public Optional<PullRequest> find(String branch, String base) {
        String owner = repository.substring(0, repository.indexOf('/'));
        return api.pages(repo("/pulls?state=all&per_page=100&head=" + enc(owner + ":" + branch) + "&base=" + enc(base)),
                "list the pull requests of " + branch).stream().map(this::pull).filter(p -> p.branch().equals(branch))
                .max(Comparator.comparingLong(PullRequest::number));
    }

    @Override
    public PullRequest open(String branch, String base, String title, String body) {
        var json = ForgeApi.JSON.createObjectNode().put("title", title).put("head", branch).put("base", base).put("body", body)
                .put("maintainer_can_modify", false);
        return open(branch, base, json, 422); // "A pull request already exists for OWNER:BRANCH." (an answer lost before)
    }

    @Override
    public PullRequest.Checks checks(PullRequest pull) {
        String what = "read the checks of " + pull.head();
        Tally tally = new Tally();
        JsonNode runs = api.read(repo("/commits/" + pull.head() + "/check-runs?per_page=100"), what);
        for (JsonNode run : runs.path("check_runs")) {
            if (!run.path("status").asText().equals("completed")) {
                tally.pending();
            } else if (FAILING.contains(run.path("conclusion").asText())) {
                tally.failed(run.path("name").asText() + " (" + run.path("conclusion").asText() + ")");
            } else {
                tally.passed();
            }
        }
        combinedStatus(pull, what, tally);
        return tally.verdict();
    }

    @Override
    public Optional<String> merge(PullRequest pull, String title) {
        String what = "merge pull request #" + pull.number();
        var json = ForgeApi.JSON.createObjectNode().put("sha", pull.head()).put("merge_method", "merge").put("commit_title", title);
        return PullRequests.attempt(api, "PUT", repo("/pulls/" + pull.number() + "/merge"), json, what, 200);
    }

    /** GitHub's list of pull requests has no {@code merged}: there, a merged one has a {@code merged_at}. */
    @Override
    boolean merged(JsonNode json) {
        return super.merged(json) || !json.path("merged_at").isNull() && json.has("merged_at");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, UTF_8);
    }
}
