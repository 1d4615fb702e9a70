package dev.cutter.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutter.testing.FakeForge.Call;
import dev.cutter.testing.FakeForge.Refusal;
import dev.cutter.testing.FakeForge.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A FAKE of the forges' pull requests (GitHub's and Gitea's pulls, GitLab's merge requests) over a
 * REAL bare git repository: what {@link FakeGitHub}, {@link FakeGitLab} and {@link FakeGitea}
 * answer on their pull-request endpoints once given one ({@link FakeForge#pulls}). It is not the
 * services: it is written from their documented requests and answers (the URLs and JSON shapes
 * are in each method's comment) and keeps only what a release depends on — the head branch must
 * exist on the remote, one open pull request per branch, the checks reported on the head commit,
 * a merge refused without write access, while checks are required and not passed, or while a
 * review is required — and it merges for real: a merge commit of the base branch and the head,
 * made in the bare repository with git ({@code merge-tree --write-tree}, {@code commit-tree},
 * {@code update-ref}), so the branch protection a hook enforces on pushes ({@link #protect}) does
 * not stop it, as on the services.
 */
public final class FakePulls {
    /** What the head commit's checks say: nothing reported, running, passed, failed. */
    public enum Checks { NONE, PENDING, SUCCESS, FAILURE }

    /** One pull request, as the fake keeps it. */
    public static final class Pull {
        public final long number;
        public final String branch;
        public final String base;
        public final String title;
        public final String body;
        public volatile String head;
        public volatile String state = "open"; // open, closed, merged
        public volatile String mergeCommit;

        Pull(long number, String branch, String base, String title, String body, String head) {
            this.number = number;
            this.branch = branch;
            this.base = base;
            this.title = title;
            this.body = body;
            this.head = head;
        }
    }

    private final Path bare;
    private final List<Pull> pulls = new ArrayList<>();
    private volatile Checks checksOnOpen = Checks.NONE;
    private volatile boolean checksRequired = true;
    private volatile boolean reviewRequired;
    private volatile Consumer<Pull> onOpen = p -> { };
    private final Map<String, Checks> checks = new java.util.concurrent.ConcurrentHashMap<>();

    /** Pull requests of the bare repository {@code bare}, the remote a test's checkout pushes to. */
    public FakePulls(Path bare) {
        this.bare = bare;
    }

    /**
     * Protects {@code branch} as the services do, with a real server-side hook: the bare
     * repository's {@code pre-receive} refuses every push that updates it, with GitHub's message.
     */
    public FakePulls protect(String branch) throws IOException {
        Path hook = bare.resolve("hooks/pre-receive");
        Files.writeString(hook, "#!/bin/sh\n# a protected branch: changes reach it only through a pull request\n"
                + "while read old new ref; do\n"
                + "  if [ \"$ref\" = \"refs/heads/" + branch + "\" ]; then\n"
                + "    echo \"error: GH006: Protected branch update failed for refs/heads/" + branch + ".\" >&2\n"
                + "    echo \"error: Changes must be made through a pull request.\" >&2\n"
                + "    exit 1\n"
                + "  fi\n"
                + "done\nexit 0\n");
        hook.toFile().setExecutable(true);
        return this;
    }

    /** What the checks of every newly opened pull request's head say (default: none reported). */
    public FakePulls checksOnOpen(Checks state) {
        this.checksOnOpen = state;
        return this;
    }

    /** Sets what the checks of {@code commit} say. */
    public void checks(String commit, Checks state) {
        checks.put(commit, state);
    }

    /** Whether a merge through the API needs the checks to have passed (default: yes, a required status check). */
    public FakePulls checksRequired(boolean on) {
        this.checksRequired = on;
        return this;
    }

    /** Whether a merge through the API needs an approving review, which no token of a test gives (default: no). */
    public FakePulls reviewRequired(boolean on) {
        this.reviewRequired = on;
        return this;
    }

    /** Runs {@code action} on each pull request just opened (a reviewer closing it, a person merging it). */
    public FakePulls onOpen(Consumer<Pull> action) {
        this.onOpen = action;
        return this;
    }

    public synchronized List<Pull> all() {
        return List.copyOf(pulls);
    }

    /** Merges {@code number} as a person would on the web page, whatever its checks. */
    public synchronized void mergeByHand(long number) {
        Pull pull = pulls.stream().filter(p -> p.number == number).findFirst().orElseThrow();
        merge(pull);
    }

    /** Closes {@code number} without merging it, as a reviewer would. */
    public synchronized void closeByHand(long number) {
        pulls.stream().filter(p -> p.number == number).findFirst().orElseThrow().state = "closed";
    }

    // --- GitHub ------------------------------------------------------------------------------

    /** Whether {@code rest} (after {@code /repos/OWNER/REPO}) is a pull-request or commit-checks path of GitHub or Gitea. */
    static boolean serves(String rest) {
        return rest.equals("/pulls") || rest.startsWith("/pulls/") || rest.matches("/commits/[^/]+/(check-runs|status)");
    }

    /**
     * GitHub: {@code GET /pulls?head=OWNER:BRANCH&base=&state=open|closed|all} (open by default),
     * {@code POST /pulls} → 201 (422 "Validation Failed" when the head branch does not exist, 422
     * "A pull request already exists for OWNER:BRANCH." for a second open one), {@code GET /pulls/N},
     * {@code PUT /pulls/N/merge} {@code {"sha", "merge_method"}} → 200 {@code {"sha", "merged": true}}
     * (403 without write access; 405 "Pull Request is not mergeable", "Required status check … is
     * expected.", "At least 1 approving review is required…"; 409 "Head branch was modified"),
     * {@code GET /commits/SHA/check-runs} and {@code GET /commits/SHA/status}.
     */
    synchronized Reply github(FakeForge forge, Call call, String rest, String owner) {
        if (rest.equals("/pulls") && call.method().equals("GET")) {
            String state = call.query().getOrDefault("state", "open");
            String head = call.query().get("head");
            String base = call.query().get("base");
            List<JsonNode> list = pulls.stream().sorted(Comparator.comparingLong((Pull p) -> p.number).reversed())
                    .filter(p -> state.equals("all") || state.equals("open") == p.state.equals("open"))
                    .filter(p -> head == null || head.equals(owner + ":" + p.branch)).filter(p -> base == null || base.equals(p.base))
                    .map(p -> (JsonNode) githubJson(forge, p, owner)).toList();
            return forge.page(call, list, "per_page", 30, 100);
        }
        if (rest.equals("/pulls") && call.method().equals("POST")) {
            write(call, githubError("Resource not accessible by personal access token"));
            JsonNode body = call.json();
            String branch = body.path("head").asText();
            String base = body.path("base").asText();
            if (commitOf(branch).isEmpty() || commitOf(base).isEmpty()) {
                throw new Refusal(422, githubValidation("PullRequest", "invalid", commitOf(branch).isEmpty() ? "head" : "base"));
            }
            if (pulls.stream().anyMatch(p -> p.branch.equals(branch) && p.state.equals("open"))) {
                ObjectNode json = githubError("Validation Failed");
                json.putArray("errors").addObject().put("resource", "PullRequest").put("code", "custom")
                        .put("message", "A pull request already exists for " + owner + ":" + branch + ".");
                throw new Refusal(422, json);
            }
            Pull pull = open(branch, base, body.path("title").asText(), body.path("body").asText());
            return Reply.json(201, githubJson(forge, pull, owner));
        }
        Matcher commit = Pattern.compile("/commits/([^/]+)/(check-runs|status)").matcher(rest);
        if (commit.matches()) {
            Checks state = checks.getOrDefault(commit.group(1), Checks.NONE);
            if (commit.group(2).equals("check-runs")) {
                ObjectNode json = FakeForge.JSON.createObjectNode();
                var runs = json.putArray("check_runs");
                if (state != Checks.NONE) {
                    ObjectNode run = runs.addObject().put("id", 1).put("name", "ci").put("head_sha", commit.group(1));
                    run.put("status", state == Checks.PENDING ? "in_progress" : "completed");
                    if (state == Checks.PENDING) {
                        run.putNull("conclusion");
                    } else {
                        run.put("conclusion", state == Checks.SUCCESS ? "success" : "failure");
                    }
                }
                json.put("total_count", runs.size());
                return Reply.json(200, json);
            }
            // the combined status of commit statuses (none here: the fake's CI reports check runs)
            ObjectNode json = FakeForge.JSON.createObjectNode().put("state", "pending").put("sha", commit.group(1)).put("total_count", 0);
            json.putArray("statuses");
            return Reply.json(200, json);
        }
        Matcher one = Pattern.compile("/pulls/(\\d+)(/merge)?").matcher(rest);
        if (!one.matches()) {
            throw new Refusal(forge.notFound());
        }
        Pull pull = find(Long.parseLong(one.group(1))).orElseThrow(() -> new Refusal(forge.notFound()));
        if (one.group(2) == null && call.method().equals("GET")) {
            return Reply.json(200, githubJson(forge, pull, owner));
        }
        if (one.group(2) != null && call.method().equals("PUT")) {
            write(call, githubError("Resource not accessible by personal access token"));
            Optional<String> refused = refusal(pull, call.json().path("sha").asText(""));
            if (refused.isPresent()) {
                throw new Refusal(refused.get().startsWith("409") ? 409 : 405, githubError(refused.get().substring(4)));
            }
            merge(pull);
            return Reply.json(200, FakeForge.JSON.createObjectNode().put("sha", pull.mergeCommit).put("merged", true)
                    .put("message", "Pull Request successfully merged"));
        }
        throw new Refusal(forge.notFound());
    }

    private ObjectNode githubJson(FakeForge forge, Pull p, String owner) {
        ObjectNode json = FakeForge.JSON.createObjectNode().put("url", forge.url() + "/pulls/" + p.number).put("id", 1000 + p.number)
                .put("number", p.number).put("html_url", "https://github.com/" + owner + "/pulls/" + p.number)
                .put("state", p.state.equals("open") ? "open" : "closed").put("title", p.title).put("body", p.body)
                .put("merged", p.state.equals("merged"));
        if (p.state.equals("merged")) {
            json.put("merged_at", "2026-01-02T03:04:05Z").put("merge_commit_sha", p.mergeCommit);
        } else {
            json.putNull("merged_at").putNull("merge_commit_sha"); // (GitHub shows a test merge here while open; nothing to rely on)
        }
        json.putObject("head").put("ref", p.branch).put("sha", p.head).put("label", owner + ":" + p.branch);
        json.putObject("base").put("ref", p.base).put("sha", commitOf(p.base).orElse(""));
        return json;
    }

    private static ObjectNode githubError(String message) {
        return FakeForge.JSON.createObjectNode().put("message", message).put("documentation_url", "https://docs.github.com/rest/pulls/pulls");
    }

    private static ObjectNode githubValidation(String resource, String code, String field) {
        ObjectNode json = githubError("Validation Failed");
        json.putArray("errors").addObject().put("resource", resource).put("code", code).put("field", field);
        return json;
    }

    // --- GitLab ------------------------------------------------------------------------------

    /**
     * GitLab: {@code GET /merge_requests?source_branch=&target_branch=&state=opened|closed|merged|all}
     * (all by default), {@code POST /merge_requests} → 201 (409 "Another open merge request already
     * exists for this source branch: !N"; 400 when a branch does not exist), {@code GET
     * /merge_requests/:iid} with {@code head_pipeline}, {@code PUT /merge_requests/:iid/merge}
     * {@code {"sha"}} → 200 (401/403 without the right; 405 "Method Not Allowed" while not
     * mergeable — a pipeline that must succeed, an approval missing; 409 "SHA does not match HEAD
     * of source branch").
     */
    synchronized Reply gitlab(FakeForge forge, Call call, List<String> segments, String project) {
        if (segments.size() == 1 && call.method().equals("GET")) {
            String state = call.query().getOrDefault("state", "all");
            String source = call.query().get("source_branch");
            String target = call.query().get("target_branch");
            List<JsonNode> list = pulls.stream().sorted(Comparator.comparingLong((Pull p) -> p.number).reversed())
                    .filter(p -> state.equals("all") || gitlabState(p).equals(state))
                    .filter(p -> source == null || source.equals(p.branch)).filter(p -> target == null || target.equals(p.base))
                    .map(p -> (JsonNode) gitlabJson(p, project)).toList();
            return forge.page(call, list, "per_page", 20, 100);
        }
        if (segments.size() == 1 && call.method().equals("POST")) {
            write(call, FakeForge.JSON.createObjectNode().put("message", "403 Forbidden"));
            JsonNode body = call.json();
            String branch = body.path("source_branch").asText();
            String base = body.path("target_branch").asText();
            if (commitOf(branch).isEmpty() || commitOf(base).isEmpty()) {
                throw new Refusal(400, FakeForge.JSON.createObjectNode().set("message", FakeForge.JSON.createArrayNode()
                        .add("Source branch \"" + branch + "\" does not exist")));
            }
            Optional<Pull> existing = pulls.stream().filter(p -> p.branch.equals(branch) && p.state.equals("open")).findFirst();
            if (existing.isPresent()) {
                throw new Refusal(409, FakeForge.JSON.createObjectNode().set("message", FakeForge.JSON.createArrayNode()
                        .add("Another open merge request already exists for this source branch: !" + existing.get().number)));
            }
            Pull pull = open(branch, base, body.path("title").asText(), body.path("description").asText());
            return Reply.json(201, gitlabJson(pull, project));
        }
        Pull pull = find(Long.parseLong(segments.get(1))).orElseThrow(() ->
                new Refusal(Reply.json(404, FakeForge.JSON.createObjectNode().put("message", "404 Not found"))));
        if (segments.size() == 2 && call.method().equals("GET")) {
            return Reply.json(200, gitlabJson(pull, project));
        }
        if (segments.size() == 3 && segments.get(2).equals("merge") && call.method().equals("PUT")) {
            write(call, FakeForge.JSON.createObjectNode().put("message", "403 Forbidden"));
            Optional<String> refused = refusal(pull, call.json().path("sha").asText(""));
            if (refused.isPresent()) {
                throw new Refusal(refused.get().startsWith("409") ? 409 : 405, FakeForge.JSON.createObjectNode().put("message",
                        refused.get().startsWith("409") ? "SHA does not match HEAD of source branch: " + pull.head : "405 Method Not Allowed"));
            }
            merge(pull);
            return Reply.json(200, gitlabJson(pull, project));
        }
        throw new Refusal(Reply.json(404, FakeForge.JSON.createObjectNode().put("message", "404 Not Found")));
    }

    private static String gitlabState(Pull p) {
        return p.state.equals("open") ? "opened" : p.state;
    }

    private ObjectNode gitlabJson(Pull p, String project) {
        ObjectNode json = FakeForge.JSON.createObjectNode().put("id", 2000 + p.number).put("iid", p.number).put("project_id", 1)
                .put("title", p.title).put("description", p.body).put("state", gitlabState(p)).put("source_branch", p.branch)
                .put("target_branch", p.base).put("sha", p.head).put("web_url", "https://gitlab.com/" + project + "/-/merge_requests/" + p.number)
                .putNull("squash_commit_sha");
        if (p.state.equals("merged")) {
            json.put("merge_commit_sha", p.mergeCommit);
        } else {
            json.putNull("merge_commit_sha");
        }
        Checks state = checks.getOrDefault(p.head, Checks.NONE);
        if (state == Checks.NONE) {
            json.putNull("head_pipeline");
        } else {
            json.putObject("head_pipeline").put("id", 77).put("sha", p.head).put("status", switch (state) {
                case PENDING -> "running";
                case SUCCESS -> "success";
                default -> "failed";
            });
        }
        json.put("detailed_merge_status", state == Checks.PENDING || state == Checks.FAILURE && checksRequired ? "ci_still_running" : "mergeable");
        return json;
    }

    // --- Gitea -------------------------------------------------------------------------------

    /**
     * Gitea: {@code GET /pulls?state=open|closed|all&limit=&page=} (open by default; no head filter),
     * {@code POST /pulls} → 201 (409 "pull request already exists for these targets"; 404 when a
     * branch does not exist), {@code GET /pulls/N}, {@code POST /pulls/N/merge}
     * {@code {"Do": "merge", "head_commit_id"}} → 200 with an empty body (403 without the right; 405
     * "Please try again later" / "Not all required status checks successful"; 409 when the head
     * moved), and {@code GET /commits/SHA/status} (the combined status).
     */
    synchronized Reply gitea(FakeForge forge, Call call, String rest, String owner) {
        if (rest.equals("/pulls") && call.method().equals("GET")) {
            String state = call.query().getOrDefault("state", "open");
            List<JsonNode> list = pulls.stream().sorted(Comparator.comparingLong((Pull p) -> p.number).reversed())
                    .filter(p -> state.equals("all") || state.equals("open") == p.state.equals("open"))
                    .map(p -> (JsonNode) giteaJson(p, owner)).toList();
            return forge.page(call, list, "limit", 30, 50);
        }
        if (rest.equals("/pulls") && call.method().equals("POST")) {
            write(call, FakeForge.JSON.createObjectNode().put("message", "user should have a permission to write to a repo"));
            JsonNode body = call.json();
            String branch = body.path("head").asText();
            String base = body.path("base").asText();
            if (commitOf(branch).isEmpty() || commitOf(base).isEmpty()) {
                throw new Refusal(404, FakeForge.JSON.createObjectNode().put("message", "The target couldn't be found."));
            }
            if (pulls.stream().anyMatch(p -> p.branch.equals(branch) && p.base.equals(base) && p.state.equals("open"))) {
                throw new Refusal(409, FakeForge.JSON.createObjectNode().put("message", "pull request already exists for these targets"));
            }
            Pull pull = open(branch, base, body.path("title").asText(), body.path("body").asText());
            return Reply.json(201, giteaJson(pull, owner));
        }
        Matcher commit = Pattern.compile("/commits/([^/]+)/status").matcher(rest);
        if (commit.matches()) {
            Checks state = checks.getOrDefault(commit.group(1), Checks.NONE);
            String word = switch (state) {
                case NONE, PENDING -> "pending";
                case SUCCESS -> "success";
                case FAILURE -> "failure";
            };
            ObjectNode json = FakeForge.JSON.createObjectNode().put("state", state == Checks.NONE ? "" : word).put("sha", commit.group(1))
                    .put("total_count", state == Checks.NONE ? 0 : 1);
            var statuses = json.putArray("statuses");
            if (state != Checks.NONE) {
                statuses.addObject().put("id", 1).put("context", "ci").put("status", word);
            }
            return Reply.json(200, json);
        }
        Matcher one = Pattern.compile("/pulls/(\\d+)(/merge)?").matcher(rest);
        if (!one.matches()) {
            throw new Refusal(forge.notFound());
        }
        Pull pull = find(Long.parseLong(one.group(1))).orElseThrow(() -> new Refusal(forge.notFound()));
        if (one.group(2) == null && call.method().equals("GET")) {
            return Reply.json(200, giteaJson(pull, owner));
        }
        if (one.group(2) != null && call.method().equals("POST")) {
            write(call, FakeForge.JSON.createObjectNode().put("message", "user should have a permission to merge"));
            Optional<String> refused = refusal(pull, call.json().path("head_commit_id").asText(""));
            if (refused.isPresent()) {
                throw new Refusal(refused.get().startsWith("409") ? 409 : 405, FakeForge.JSON.createObjectNode().put("message",
                        refused.get().contains("status") ? "Not all required status checks successful" : "Please try again later"));
            }
            merge(pull);
            return Reply.empty(200);
        }
        throw new Refusal(forge.notFound());
    }

    private ObjectNode giteaJson(Pull p, String owner) {
        ObjectNode json = FakeForge.JSON.createObjectNode().put("id", 3000 + p.number).put("number", p.number)
                .put("html_url", "https://gitea.example.com/" + owner + "/pulls/" + p.number)
                .put("state", p.state.equals("open") ? "open" : "closed").put("title", p.title).put("body", p.body)
                .put("merged", p.state.equals("merged")).put("mergeable", true);
        if (p.state.equals("merged")) {
            json.put("merge_commit_sha", p.mergeCommit).put("merged_at", "2026-01-02T03:04:05Z");
        } else {
            json.putNull("merge_commit_sha").putNull("merged_at");
        }
        json.putObject("head").put("ref", p.branch).put("sha", p.head).put("label", p.branch);
        json.putObject("base").put("ref", p.base).put("sha", commitOf(p.base).orElse("")).put("label", p.base);
        return json;
    }

    // --- shared ------------------------------------------------------------------------------

    private static void write(Call call, ObjectNode refusal) {
        if (call.access().isEmpty()) {
            throw new Refusal(401, FakeForge.JSON.createObjectNode().put("message", "401 Unauthorized"));
        }
        if (!call.canWrite()) {
            throw new Refusal(403, refusal);
        }
    }

    private Pull open(String branch, String base, String title, String body) {
        Pull pull = new Pull(pulls.size() + 1, branch, base, title, body, commitOf(branch).orElseThrow());
        pulls.add(pull);
        checks.putIfAbsent(pull.head, checksOnOpen);
        onOpen.accept(pull);
        return pull;
    }

    private Optional<Pull> find(long number) {
        return pulls.stream().filter(p -> p.number == number).findFirst();
    }

    /** Why the API may not merge it now ("405 …", "409 …"), as the service decides; empty when it may. */
    private Optional<String> refusal(Pull pull, String sha) {
        refresh(pull);
        if (!pull.state.equals("open")) {
            return Optional.of("405 Pull Request is not mergeable");
        }
        if (!sha.isEmpty() && !sha.equals(pull.head)) {
            return Optional.of("409 Head branch was modified. Review and try the merge again.");
        }
        if (checksRequired && checks.getOrDefault(pull.head, Checks.NONE) != Checks.SUCCESS
                && checks.getOrDefault(pull.head, Checks.NONE) != Checks.NONE) {
            return Optional.of("405 Required status check \"ci\" is expected.");
        }
        if (reviewRequired) {
            return Optional.of("405 At least 1 approving review is required by reviewers with write access.");
        }
        return Optional.empty();
    }

    /** The head follows its branch, as on the services (a push to the branch updates the pull request). */
    private void refresh(Pull pull) {
        if (pull.state.equals("open")) {
            commitOf(pull.branch).ifPresent(c -> pull.head = c);
        }
    }

    /** A merge commit of the base branch and the head, made in the bare repository; the branch moved to it without hooks. */
    private void merge(Pull pull) {
        refresh(pull);
        String base = commitOf(pull.base).orElseThrow();
        String tree = git("merge-tree", "--write-tree", base, pull.head).lines().findFirst().orElseThrow().strip();
        String commit = git("commit-tree", tree, "-p", base, "-p", pull.head, "-m",
                "Merge pull request #" + pull.number + " from " + pull.branch + "\n\n" + pull.title).strip();
        git("update-ref", "refs/heads/" + pull.base, commit, base);
        pull.mergeCommit = commit;
        pull.state = "merged";
    }

    private Optional<String> commitOf(String branch) {
        try {
            return Optional.of(git("rev-parse", "--verify", "-q", "refs/heads/" + branch + "^{commit}").strip());
        } catch (IllegalStateException e) {
            return Optional.empty();
        }
    }

    private String git(String... args) {
        List<String> command = new ArrayList<>(List.of("git", "--git-dir", bare.toString()));
        command.addAll(List.of(args));
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(false);
            pb.environment().putAll(Map.of("GIT_AUTHOR_NAME", "Forge", "GIT_AUTHOR_EMAIL", "noreply@forge.test", "GIT_COMMITTER_NAME",
                    "Forge", "GIT_COMMITTER_EMAIL", "noreply@forge.test", "GIT_AUTHOR_DATE", "2026-01-02T03:04:05Z",
                    "GIT_COMMITTER_DATE", "2026-01-02T03:04:05Z"));
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes());
            String err = new String(p.getErrorStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + out + err);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
