package dev.cutter.release.forge;

import dev.cutter.http.Backoff;
import dev.cutter.http.Loopback;
import dev.cutter.http.Sender;
import dev.cutter.release.InvalidReleaseException;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.Map;
import java.util.Optional;

/**
 * The pull requests of one forge repository: GitHub's and Gitea's pull requests, GitLab's merge
 * requests, through their REST APIs. Failures are the stores' ({@link dev.cutter.release.ReleaseException},
 * {@link dev.cutter.release.StoreUnreachableException} for a refused token or an unreachable forge).
 */
public interface PullRequests {
    /** The forge and repository as messages name them, e.g. {@code github:acme/app}. */
    String forge();

    /** The newest pull request from {@code branch} (of the same repository) into {@code base}, in any state. */
    Optional<PullRequest> find(String branch, String base);

    /** Opens a pull request from {@code branch} into {@code base}; one already open for the branch is returned instead. */
    PullRequest open(String branch, String base, String title, String body);

    /**
     * The pull request already open from {@code branch} into {@code base}, when the forge refused to
     * open another ({@code said}: its words; an earlier attempt's answer was lost); else that
     * refusal, as a failure to {@code what}.
     */
    default PullRequest alreadyOpen(String branch, String base, String what, String said) {
        return find(branch, base).filter(p -> p.state() == PullRequest.State.OPEN).orElseThrow(() ->
                new dev.cutter.release.ReleaseException(forge() + ": could not " + what + ": " + said));
    }

    /** The pull request as it is now. */
    PullRequest get(long number);

    /** The checks reported on its head commit. */
    PullRequest.Checks checks(PullRequest pull);

    /**
     * Merges it at its head commit with a merge commit, as a person pressing the button would.
     *
     * @return empty when merged; else what the forge said to refuse (not allowed, not mergeable yet, checks required)
     */
    Optional<String> merge(PullRequest pull, String title);

    /** Why this token may not open pull requests there; empty when it may. */
    Optional<String> mayOpen();

    /** Whether {@code forge} has the form {@code github:OWNER/REPO}, {@code gitlab:GROUP/PROJECT} or {@code gitea:HOST/OWNER/REPO}. */
    static boolean isForge(String forge) {
        return ForgeStores.isForge(forge);
    }

    /**
     * The pull requests of {@code forge}, with {@code token} (resolved), else the forge's usual
     * variable ({@code GITHUB_TOKEN}, {@code GITLAB_TOKEN}, {@code GITEA_TOKEN}); API URLs as the
     * forge stores take them ({@link ForgeStores}).
     *
     * @throws InvalidReleaseException when {@code forge} is not of one of the three forms
     */
    static PullRequests open(String forge, Optional<String> token, Map<String, String> environment, HttpClient http) {
        Sender sender = new Sender(ForgeStores.withoutRedirects(http), Backoff.STANDARD);
        Optional<String> given = token.filter(t -> !t.isBlank());
        if (forge.startsWith("github:")) {
            String repository = ForgeStores.repository(forge, "github:".length(), 2, "github:OWNER/REPO, e.g. github:acme/app");
            URI api = ForgeStores.apiUrl(environment, "GITHUB_API_URL", ForgeStores.GITHUB_API);
            return new GitHubPulls(repository, new ForgeApi("github:" + repository, api, repository,
                    ForgeStores.credential(given, environment, "GITHUB_TOKEN", "Authorization", "Bearer "), sender,
                    Map.of("Accept", "application/vnd.github+json", "X-GitHub-Api-Version", "2022-11-28", "User-Agent", "cutter"),
                    "GITHUB_TOKEN", "pull requests: write and contents: write (a classic token's repo scope)"));
        }
        if (forge.startsWith("gitlab:")) {
            String project = ForgeStores.repository(forge, "gitlab:".length(), -2, "gitlab:GROUP/PROJECT, e.g. gitlab:acme/tools/app");
            URI api = ForgeStores.apiUrl(environment, "CI_API_V4_URL", ForgeStores.GITLAB_API);
            return new GitLabMerges(project, new ForgeApi("gitlab:" + project, api, project,
                    ForgeStores.credential(given, environment, "GITLAB_TOKEN", "PRIVATE-TOKEN", ""), sender,
                    Map.of("Accept", "application/json", "User-Agent", "cutter"), "GITLAB_TOKEN",
                    "the api scope and at least the Developer role in the project"));
        }
        if (!forge.startsWith("gitea:")) {
            throw new InvalidReleaseException("\"" + forge + "\" is not a forge: write github:OWNER/REPO, gitlab:GROUP/PROJECT or"
                    + " gitea:HOST/OWNER/REPO");
        }
        String rest = forge.substring("gitea:".length());
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            throw new InvalidReleaseException("\"" + forge + "\" is not a Gitea repository: write gitea:HOST/OWNER/REPO");
        }
        String host = rest.substring(0, slash);
        String repository = ForgeStores.repository(forge, "gitea:".length() + slash + 1, 2, "gitea:HOST/OWNER/REPO");
        URI api = URI.create((Loopback.is(host) ? "http" : "https") + "://" + host + "/api/v1");
        return new GiteaPulls(repository, new ForgeApi("gitea:" + host + "/" + repository, api, repository,
                ForgeStores.credential(given, environment, "GITEA_TOKEN", "Authorization", "token "), sender,
                Map.of("Accept", "application/json", "User-Agent", "cutter"), "GITEA_TOKEN", "the write:repository scope"));
    }

    /** The verdict of {@code seen} checks, some still running ({@code pending}), some {@code failed}: a failure decides. */
    static PullRequest.Checks verdict(int seen, boolean pending, java.util.List<String> failed) {
        PullRequest.Checks.Verdict verdict = !failed.isEmpty() ? PullRequest.Checks.Verdict.FAILED
                : pending ? PullRequest.Checks.Verdict.PENDING : seen == 0 ? PullRequest.Checks.Verdict.NONE : PullRequest.Checks.Verdict.PASSED;
        return new PullRequest.Checks(verdict, failed);
    }

    /**
     * Sends a merge: empty when answered with one of {@code ok}; the forge's words when it refused
     * (403, 405, 406, 409, 422: not allowed, not mergeable, checks required, head moved), so the
     * caller can wait for a person; anything else is the store error it stands for.
     */
    static Optional<String> attempt(ForgeApi api, String method, URI uri, com.fasterxml.jackson.databind.JsonNode body, String what,
            int... ok) {
        api.requireToken(what);
        java.net.http.HttpResponse<java.io.InputStream> response = api.send(method, uri, body, what);
        int status = response.statusCode();
        for (int good : ok) {
            if (status == good) {
                ForgeApi.close(response);
                return Optional.empty();
            }
        }
        if (java.util.Set.of(403, 405, 406, 409, 422).contains(status)) {
            dev.cutter.http.HttpException refused = api.sender().failure(response);
            return Optional.of(status + " " + (refused.serviceMessage().isBlank() ? refused.getMessage() : refused.serviceMessage()));
        }
        throw api.failure(api.sender().failure(response), what);
    }
}
