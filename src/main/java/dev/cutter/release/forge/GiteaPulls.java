package dev.cutter.release.forge;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Pull requests of a Gitea (or Forgejo) repository (https://gitea.com/api/swagger):
 * {@code GET /repos/{o}/{r}/pulls?state=all} (filtered here by head and base: the list has no
 * head filter), {@code POST /repos/{o}/{r}/pulls}, {@code GET /repos/{o}/{r}/pulls/{index}},
 * {@code POST /repos/{o}/{r}/pulls/{index}/merge} and the head commit's combined status
 * ({@code GET /repos/{o}/{r}/commits/{sha}/status}).
 */
final class GiteaPulls implements PullRequests {
    private final String repository;
    private final ForgeApi api;

    GiteaPulls(String repository, ForgeApi api) {
        this.repository = repository;
        this.api = api;
    }

    @Override
    public String forge() {
        return "gitea:" + repository;
    }

    private URI repo(String path) {
        return api.uri("/repos/" + repository + path);
    }

    @Override
    public Optional<PullRequest> find(String branch, String base) {
        return api.pages(repo("/pulls?state=all&limit=50"), "list the pull requests").stream()
                .filter(j -> j.path("base").path("ref").asText().equals(base)).map(this::pull).filter(p -> p.branch().equals(branch))
                .max(Comparator.comparingLong(PullRequest::number));
    }

    @Override
    public PullRequest open(String branch, String base, String title, String body) {
        String what = "open a pull request from " + branch + " into " + base;
        var json = ForgeApi.JSON.createObjectNode().put("head", branch).put("base", base).put("title", title).put("body", body);
        HttpResponse<InputStream> response = api.send("POST", repo("/pulls"), json, what);
        if (response.statusCode() == 409) { // "pull request already exists for these targets"
            return alreadyOpen(branch, base, what, api.sender().failure(response).serviceMessage());
        }
        return pull(api.json(api.expect(response, what, 201), what));
    }

    @Override
    public PullRequest get(long number) {
        String what = "read pull request #" + number;
        return pull(api.read(repo("/pulls/" + number), what));
    }

    /** The combined status: {@code {"state": "pending"|"success"|"error"|"failure"|"warning", "statuses": […]}}. */
    @Override
    public PullRequest.Checks checks(PullRequest pull) {
        String what = "read the status of " + pull.head();
        JsonNode status = api.read(repo("/commits/" + pull.head() + "/status"), what);
        List<String> failed = new ArrayList<>();
        boolean pending = false;
        int seen = 0;
        for (JsonNode one : status.path("statuses")) {
            seen++;
            String state = one.path("status").asText(one.path("state").asText());
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
        var json = ForgeApi.JSON.createObjectNode().put("Do", "merge").put("head_commit_id", pull.head()).put("MergeTitleField", title);
        return PullRequests.attempt(api, "POST", repo("/pulls/" + pull.number() + "/merge"), json, "merge pull request #" + pull.number(),
                200);
    }

    @Override
    public Optional<String> mayOpen() {
        return api.mayWrite(repo(""), described -> described.path("permissions").path("push").asBoolean(false));
    }

    /** {@code {"number", "html_url", "state": "open"|"closed", "merged", "merge_commit_sha", "head": {"ref", "sha"}}}. */
    private PullRequest pull(JsonNode json) {
        boolean merged = json.path("merged").asBoolean(false);
        PullRequest.State state = merged ? PullRequest.State.MERGED
                : json.path("state").asText().equals("open") ? PullRequest.State.OPEN : PullRequest.State.CLOSED;
        Optional<String> commit = merged ? Optional.ofNullable(json.path("merge_commit_sha").textValue()) : Optional.empty();
        return new PullRequest(json.path("number").asLong(), json.path("html_url").asText(), json.path("head").path("ref").asText(),
                state, json.path("head").path("sha").asText(), commit);
    }
}
