package dev.cutter.app;

import dev.cutter.git.GitException;
import dev.cutter.git.GitRepository;
import dev.cutter.git.Tag;
import dev.cutter.plan.PlanException;
import dev.cutter.spec.Spec;
import dev.cutter.spec.SpecException;
import dev.cutter.trigger.BranchVersions;
import dev.cutter.trigger.Triggers.BranchMatch;
import dev.cutter.version.Channels;
import dev.cutter.version.TagPattern;
import dev.cutter.version.Version;
import dev.cutter.version.VersionException;
import dev.cutter.version.VersionScheme;
import java.util.List;
import java.util.Optional;

/**
 * What a push to a branch a trigger matched amounts to, read from the spec's checkout: the
 * version its trigger's template renders ({@link BranchVersions}), or why it starts nothing (it
 * changed none of the trigger's {@code paths} since the last release).
 *
 * @param version the rendered version; empty when the trigger names none (the version tag at HEAD then)
 * @param unchanged why nothing starts, when the push changed none of {@code paths}
 */
public record BranchRelease(Optional<String> version, Optional<String> unchanged) {

    /**
     * Reads the history of the checkout holding the spec: the newest version tag at or before
     * HEAD, the commits since, and (with {@code paths}) the files changed since {@code since} or
     * else that tag.
     *
     * @throws SpecException (exit 2, naming {@code triggers[N].version}) when the version renders to
     *     something that is not a version of the project's scheme, or matches no channel
     * @throws PlanException when the template or paths need a git checkout and there is none
     */
    public static BranchRelease of(Spec spec, BranchMatch match, Optional<String> since, String date) {
        Spec.TriggerSpec trigger = match.trigger();
        Optional<String> template = trigger.version();
        boolean needsHistory = template.map(BranchVersions::needsHistory).orElse(false) || !trigger.paths().isEmpty();
        if (!needsHistory) {
            return new BranchRelease(template.map(t -> checked(spec, match, t,
                    BranchVersions.render(t, match.branch(), date, Optional.empty()))), Optional.empty());
        }
        VersionScheme scheme = VersionScheme.of(spec.version().scheme());
        TagPattern pattern = TagPattern.of(spec.version().tag());
        try (GitRepository git = GitRepository.open(spec.directory())) {
            String head = git.head().orElseThrow(() -> new PlanException("trigger: " + git.root() + " has no commits yet"));
            if (git.shallow()) {
                throw new PlanException("trigger: " + match.field(template.isPresent() ? "version" : "paths") + " counts commits and"
                        + " finds version tags in the history, but the checkout at " + git.root() + " is shallow; fetch all of it with"
                        + " its tags (actions/checkout: fetch-depth: 0; GitLab: GIT_DEPTH: 0; or git fetch --unshallow --tags)");
            }
            Optional<Tag> last = git.nearestTag(name -> released(spec, pattern, scheme, name).isPresent(), head);
            Optional<Version> lastVersion = last.flatMap(t -> released(spec, pattern, scheme, t.name()));
            if (!trigger.paths().isEmpty()) {
                Optional<String> base = since.isPresent() ? since : last.map(Tag::commit);
                String from = since.or(() -> last.map(Tag::name)).orElse("the first commit");
                List<String> changed = git.changedFiles(base, head);
                if (!BranchVersions.touches(trigger.paths(), changed)) {
                    return new BranchRelease(Optional.empty(), Optional.of("nothing under " + match.field("paths") + " "
                            + trigger.paths() + " changed since " + from + " (" + changed.size() + " other file"
                            + (changed.size() == 1 ? "" : "s") + " did)"));
                }
            }
            long commits = git.commitsSince(last.map(Tag::commit), head);
            BranchVersions.History history = new BranchVersions.History(head, commits, lastVersion);
            return new BranchRelease(template.map(t -> checked(spec, match, t, BranchVersions.render(t, match.branch(), date,
                    Optional.of(history)))), Optional.empty());
        } catch (GitException e) {
            throw new PlanException("trigger: " + match.field(template.isPresent() ? "version" : "paths")
                    + " reads the git history, but " + e.getMessage());
        }
    }

    /** The version of a tag that names a release: of the project's pattern, parsed, in a channel that is not rolling. */
    private static Optional<Version> released(Spec spec, TagPattern pattern, VersionScheme scheme, String tag) {
        try {
            Optional<String> text = pattern.extractVersion(tag, "");
            if (text.isEmpty()) {
                return Optional.empty();
            }
            Version version = scheme.parse(text.get());
            return Channels.select(spec.channels(), version).rolling() ? Optional.empty() : Optional.of(version);
        } catch (VersionException e) {
            return Optional.empty();
        }
    }

    /** {@code rendered} when it is a version of the project that some channel takes; else the trigger's field is wrong. */
    private static String checked(Spec spec, BranchMatch match, String template, String rendered) {
        try {
            Channels.select(spec.channels(), VersionScheme.of(spec.version().scheme()).parse(rendered));
            return rendered;
        } catch (VersionException e) {
            throw SpecException.of(spec.file(), match.trigger().location(), match.field("version"), "\"" + template
                    + "\" renders \"" + rendered + "\" for branch " + match.branch().name() + ", which cannot be released: "
                    + e.getMessage());
        }
    }
}
