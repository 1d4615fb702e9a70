package dev.cutter.kinds.pin;

import dev.cutter.plan.Action;
import dev.cutter.spec.Fields;
import dev.cutter.spec.PlaceholderScope;
import dev.cutter.spec.Section;
import dev.cutter.spec.SectionChecks;
import dev.cutter.spec.SectionReader;
import dev.cutter.spec.Spec;
import dev.cutter.spec.YamlNode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code git: { remote, branch, via: push | pull-request, forge, token, merge: auto | wait, wait, poll }}:
 * where a release's pin commits go and which remote gets its tags. Left out: {@code origin}, the
 * checkout's branch, pushed straight to it.
 */
public final class GitSection implements Section<Optional<GitSpec>> {
    public static final GitSection SECTION = new GitSection();
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]*");
    private static final Pattern FORGE = Pattern.compile("(github:[A-Za-z0-9._-]+/[A-Za-z0-9._-]+"
            + "|gitlab:[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)+|gitea:[A-Za-z0-9.\\[\\]:-]+/[A-Za-z0-9._-]+/[A-Za-z0-9._-]+)");

    private GitSection() {}

    @Override
    public String key() {
        return "git";
    }

    /** The remote {@code spec}'s {@code git:} names, when it has one; else {@code origin} is meant. */
    public static Optional<String> remote(Spec spec) {
        return SECTION.of(spec).map(GitSpec::remote);
    }

    @Override
    public Optional<GitSpec> read(SectionReader reader) {
        Fields top = reader.top();
        Optional<YamlNode> node = top.node(key());
        if (node.isEmpty()) {
            return Optional.empty();
        }
        Fields f = top.open(node.get(), key());
        String remote = f.string("remote", "origin");
        if (!NAME.matcher(remote).matches() || remote.contains("..")) {
            f.problem(f.keyLocation("remote"), "git.remote", "'" + remote + "' is not a git remote's name; write e.g. remote: upstream");
        }
        Optional<String> branch = f.string("branch");
        branch.filter(b -> !NAME.matcher(b).matches() || b.contains("..") || b.endsWith("/") || b.endsWith(".lock"))
                .ifPresent(b -> f.problem(f.keyLocation("branch"), "git.branch", "'" + b + "' is not a branch name; write e.g. branch: main"));
        String via = f.choice("via", Action.GitRoute.PUSH, List.of(Action.GitRoute.PUSH, Action.GitRoute.PULL_REQUEST));
        Optional<String> forge = f.string("forge");
        forge.filter(g -> !FORGE.matcher(g).matches()).ifPresent(g -> f.problem(f.keyLocation("forge"), "git.forge", "'" + g
                + "' is not a forge; write github:OWNER/REPO, gitlab:GROUP/PROJECT or gitea:HOST/OWNER/REPO"));
        if (via.equals(Action.GitRoute.PULL_REQUEST) && forge.isEmpty()) {
            f.problem(f.keyLocation("via"), "git.via", "pull requests are opened on a forge: add forge: github:OWNER/REPO"
                    + " (or gitlab:GROUP/PROJECT, gitea:HOST/OWNER/REPO)");
        }
        GitSpec spec = new GitSpec(remote, branch, via, forge, f.template("token"), f.choice("merge", "auto", List.of("auto", "wait")),
                f.duration("wait").orElse(Duration.ofHours(1)), f.duration("poll").orElse(Duration.ofSeconds(10)), f.location());
        f.finish();
        return Optional.of(spec);
    }

    @Override
    public void check(Optional<GitSpec> git, SectionChecks checks) {
        git.flatMap(GitSpec::token).ifPresent(t -> checks.check(t, PlaceholderScope.none("git.token"), true));
    }
}
