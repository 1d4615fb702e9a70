package dev.cutter.release.forge;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
final class GitHubPulls implements PullRequests {
    /** A completed check run with one of these conclusions failed (success, neutral and skipped pass). */
    private static final Set<String> FAILING = Set.of("failure", "cancelled", "timed_out", "action_required", "startup_failure", "stale");

    private final String repository;
    private final ForgeApi api;

    GitHubPulls(String repository, ForgeApi api) {
        this.repository = repository;
        this.api = api;
    }

    @Override
    public String forge() {
        return "github:" + repository;
    }

    private java.net.URI repo(String path) {
        return api.uri("/repos/" + repository + path);
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
        String what = "open a pull request from " + branch + " into " + base;
        var json = ForgeApi.JSON.createObjectNode().put("title", title).put("head", branch).put("base", base).put("body", body)
                .put("maintainer_can_modify", false);
        HttpResponse<InputStream> response = api.send("POST", repo("/pulls"), json, what);
        if (response.statusCode() == 422) { // "A pull request already exists for OWNER:BRANCH." (an answer lost before)
            return alreadyOpen(branch, base, what, api.sender().failure(response).serviceMessage());
        }
        return pull(api.json(api.expect(response, what, 201), what));
    }

    @Override
    public PullRequest get(long number) {
        String what = "read pull request #" + number;
        return pull(api.read(repo("/pulls/" + number), what));
    }

    @Override
    public PullRequest.Checks checks(PullRequest pull) {
        String what = "read the checks of " + pull.head();
        List<String> failed = new ArrayList<>();
        boolean pending = false;
        int seen = 0;
        JsonNode runs = api.read(repo("/commits/" + pull.head() + "/check-runs?per_page=100"), what);
        for (JsonNode run : runs.path("check_runs")) {
            seen++;
            if (!run.path("status").asText().equals("completed")) {
                pending = true;
            } else if (FAILING.contains(run.path("conclusion").asText())) {
                failed.add(run.path("name").asText() + " (" + run.path("conclusion").asText() + ")");
            }
        }
        JsonNode status = api.read(repo("/commits/" + pull.head() + "/status"), what);
        for (JsonNode one : status.path("statuses")) {
            seen++;
            String state = one.path("state").asText();
            if (state.equals("pending")) {
                pending = true;
            } else if (state.equals("failure") || state.equals("error")) {
                failed.add(one.path("context").asText() + " (" + state + ")");
            }
        }
        return PullRequests.verdict(seen, pending, failed);
    }

    @Override
    public Optional<String> merge(PullRequest pull, String title) {
        String what = "merge pull request #" + pull.number();
        var json = ForgeApi.JSON.createObjectNode().put("sha", pull.head()).put("merge_method", "merge").put("commit_title", title);
        return PullRequests.attempt(api, "PUT", repo("/pulls/" + pull.number() + "/merge"), json, what, 200);
    }

    @Override
    public Optional<String> mayOpen() {
        return api.mayWrite(repo(""), described -> described.path("permissions").path("push").asBoolean(false));
    }

    /** {@code {"number", "html_url", "state": "open"|"closed", "merged", "merge_commit_sha", "head": {"ref", "sha"}}}. */
    private PullRequest pull(JsonNode json) {
        boolean merged = json.path("merged").asBoolean(false) || !json.path("merged_at").isNull() && json.has("merged_at");
        PullRequest.State state = merged ? PullRequest.State.MERGED
                : json.path("state").asText().equals("open") ? PullRequest.State.OPEN : PullRequest.State.CLOSED;
        Optional<String> commit = merged ? Optional.ofNullable(json.path("merge_commit_sha").textValue()) : Optional.empty();
        return new PullRequest(json.path("number").asLong(), json.path("html_url").asText(), json.path("head").path("ref").asText(),
                state, json.path("head").path("sha").asText(), commit);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, UTF_8);
    }
}
