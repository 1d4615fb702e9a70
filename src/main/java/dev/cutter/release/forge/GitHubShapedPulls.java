package dev.cutter.release.forge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pull requests of a forge whose REST API has GitHub's shape, as Gitea's (and Forgejo's) copies
 * it: {@code /repos/{o}/{r}/pulls}, the pull request's JSON, the head commit's combined status and
 * the repository's {@code permissions}. What differs (the list's filters, the opening's and the
 * merge's fields, the check runs only GitHub has) is in each forge's class.
 */
abstract sealed class GitHubShapedPulls implements PullRequests permits GitHubPulls, GiteaPulls {
    private final String forge;
    final String repository;
    final ForgeApi api;

    /** The pull requests of {@code repository} ({@code OWNER/REPO}) on the forge {@code kind} ({@code github}, {@code gitea}). */
    GitHubShapedPulls(String kind, String repository, ForgeApi api) {
        this.forge = kind + ":" + repository;
        this.repository = repository;
        this.api = api;
    }

    @Override
    public final String forge() {
        return forge;
    }

    final URI repo(String path) {
        return api.uri("/repos/" + repository + path);
    }

    /**
     * Opens a pull request with the fields {@code json}; when the forge answers {@code conflict}
     * (one is open already for the branch, an earlier answer lost), that one.
     */
    final PullRequest open(String branch, String base, ObjectNode json, int conflict) {
        String what = "open a pull request from " + branch + " into " + base;
        HttpResponse<InputStream> response = api.send("POST", repo("/pulls"), json, what);
        if (response.statusCode() == conflict) {
            return alreadyOpen(branch, base, what, api.sender().failure(response).serviceMessage());
        }
        return pull(api.json(api.expect(response, what, 201), what));
    }

    @Override
    public final PullRequest get(long number) {
        String what = "read pull request #" + number;
        return pull(api.read(repo("/pulls/" + number), what));
    }

    @Override
    public final Optional<String> mayOpen() {
        return api.mayWrite(repo(""), described -> described.path("permissions").path("push").asBoolean(false));
    }

    /**
     * The head commit's combined status ({@code {"state", "statuses": [{"state", "context"}…]}}),
     * each status counted into {@code tally}: pending, failed (failure, error) or passed. Gitea's
     * statuses also carry their state as {@code status}, which comes first.
     */
    final void combinedStatus(PullRequest pull, String what, Tally tally) {
        JsonNode status = api.read(repo("/commits/" + pull.head() + "/status"), what);
        for (JsonNode one : status.path("statuses")) {
            String state = one.path("status").asText(one.path("state").asText());
            if (state.equals("pending")) {
                tally.pending();
            } else if (state.equals("failure") || state.equals("error")) {
                tally.failed(one.path("context").asText() + " (" + state + ")");
            } else {
                tally.passed();
            }
        }
    }

    /** Whether the pull request {@code json} is merged. */
    boolean merged(JsonNode json) {
        return json.path("merged").asBoolean(false);
    }

    /** {@code {"number", "html_url", "state": "open"|"closed", "merged", "merge_commit_sha", "head": {"ref", "sha"}}}. */
    final PullRequest pull(JsonNode json) {
        boolean merged = merged(json);
        PullRequest.State state = merged ? PullRequest.State.MERGED
                : json.path("state").asText().equals("open") ? PullRequest.State.OPEN : PullRequest.State.CLOSED;
        Optional<String> commit = merged ? Optional.ofNullable(json.path("merge_commit_sha").textValue()) : Optional.empty();
        return new PullRequest(json.path("number").asLong(), json.path("html_url").asText(), json.path("head").path("ref").asText(),
                state, json.path("head").path("sha").asText(), commit);
    }

    /** The checks of a head commit as they are counted: how many, whether one is still running, which failed. */
    static final class Tally {
        private int seen;
        private boolean pending;
        private final List<String> failed = new ArrayList<>();

        void pending() {
            seen++;
            pending = true;
        }

        void failed(String check) {
            seen++;
            failed.add(check);
        }

        void passed() {
            seen++;
        }

        PullRequest.Checks verdict() {
            return PullRequests.verdict(seen, pending, failed);
        }
    }
}
