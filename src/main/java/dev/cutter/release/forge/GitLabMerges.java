package dev.cutter.release.forge;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Merge requests of a GitLab project (https://docs.gitlab.com/api/merge_requests/):
 * {@code GET /projects/:id/merge_requests?source_branch=&target_branch=&state=all},
 * {@code POST /projects/:id/merge_requests}, {@code GET /projects/:id/merge_requests/:iid} (whose
 * {@code head_pipeline} is the checks) and {@code PUT /projects/:id/merge_requests/:iid/merge}.
 */
final class GitLabMerges implements PullRequests {
    private final String project;
    private final String id;
    private final ForgeApi api;

    GitLabMerges(String project, ForgeApi api) {
        this.project = project;
        this.id = URLEncoder.encode(project, UTF_8);
        this.api = api;
    }

    @Override
    public String forge() {
        return "gitlab:" + project;
    }

    private URI mrs(String path) {
        return api.uri("/projects/" + id + "/merge_requests" + path);
    }

    @Override
    public Optional<PullRequest> find(String branch, String base) {
        return api.pages(mrs("?state=all&per_page=100&source_branch=" + enc(branch) + "&target_branch=" + enc(base)),
                "list the merge requests of " + branch).stream().map(this::pull).filter(p -> p.branch().equals(branch))
                .max(Comparator.comparingLong(PullRequest::number));
    }

    @Override
    public PullRequest open(String branch, String base, String title, String body) {
        String what = "open a merge request from " + branch + " into " + base;
        var json = ForgeApi.JSON.createObjectNode().put("source_branch", branch).put("target_branch", base).put("title", title)
                .put("description", body).put("remove_source_branch", false);
        HttpResponse<InputStream> response = api.send("POST", mrs(""), json, what);
        if (response.statusCode() == 409) { // "Another open merge request already exists for this source branch: !N"
            return alreadyOpen(branch, base, what, api.sender().failure(response).serviceMessage());
        }
        return pull(api.json(api.expect(response, what, 201), what));
    }

    @Override
    public PullRequest get(long number) {
        return pull(raw(number));
    }

    private JsonNode raw(long number) {
        String what = "read merge request !" + number;
        return api.read(mrs("/" + number), what);
    }

    /** The head pipeline's status: success passes; failed and canceled fail; none is none; the rest are still running. */
    @Override
    public PullRequest.Checks checks(PullRequest pull) {
        JsonNode pipeline = raw(pull.number()).path("head_pipeline");
        if (pipeline.isMissingNode() || pipeline.isNull()) {
            return PullRequests.verdict(0, false, List.of());
        }
        String status = pipeline.path("status").asText();
        return switch (status) {
            case "success" -> PullRequests.verdict(1, false, List.of());
            case "failed", "canceled" -> PullRequests.verdict(1, false, List.of("pipeline " + pipeline.path("id").asText() + " (" + status + ")"));
            default -> PullRequests.verdict(1, true, List.of());
        };
    }

    @Override
    public Optional<String> merge(PullRequest pull, String title) {
        var json = ForgeApi.JSON.createObjectNode().put("sha", pull.head()).put("merge_commit_message", title);
        return PullRequests.attempt(api, "PUT", mrs("/" + pull.number() + "/merge"), json, "merge merge request !" + pull.number(), 200);
    }

    /** The Developer role (access level 30) or higher, in the project or its group. */
    @Override
    public Optional<String> mayOpen() {
        return api.mayWrite(api.uri("/projects/" + id), described -> {
            JsonNode permissions = described.path("permissions");
            return Math.max(permissions.path("project_access").path("access_level").asInt(-1),
                    permissions.path("group_access").path("access_level").asInt(-1)) >= 30;
        });
    }

    /**
     * {@code {"iid", "web_url", "state": "opened"|"closed"|"locked"|"merged", "source_branch", "sha",
     * "merge_commit_sha", "squash_commit_sha"}}; a fast-forward merge makes no merge commit, so its
     * commit is the head's.
     */
    private PullRequest pull(JsonNode json) {
        String state = json.path("state").asText();
        PullRequest.State s = switch (state) {
            case "merged" -> PullRequest.State.MERGED;
            case "closed" -> PullRequest.State.CLOSED;
            default -> PullRequest.State.OPEN;
        };
        String head = json.path("sha").asText();
        Optional<String> commit = s != PullRequest.State.MERGED ? Optional.empty()
                : Optional.ofNullable(json.path("merge_commit_sha").textValue())
                        .or(() -> Optional.ofNullable(json.path("squash_commit_sha").textValue())).or(() -> Optional.of(head));
        return new PullRequest(json.path("iid").asLong(), json.path("web_url").asText(), json.path("source_branch").asText(), s, head,
                commit);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, UTF_8);
    }
}
