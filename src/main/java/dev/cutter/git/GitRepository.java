package dev.cutter.git;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.eclipse.jgit.api.CommitCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.errors.AmbiguousObjectException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.CommitConfig;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RemoteConfig;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * A git repository, through JGit: reads history and tags, commits files, creates annotated tags
 * and pushes them without ever moving one. Remotes are reached by JGit for {@code file://}, local
 * paths, {@code git://} and {@code http(s)://} (credentials from the user's git credential helpers,
 * via {@code git credential fill}); {@code ssh://} and {@code user@host:path} remotes go through the
 * git program, so ssh-agent and ~/.ssh/config apply exactly as for git.
 *
 * <p>Revisions ({@code rev}) are anything git accepts: a commit id or abbreviation, a branch, a tag,
 * {@code HEAD~2}; tags are peeled to their commit. Reads may run concurrently; writes
 * ({@link #commit}, {@link #tag}, pushes, {@link #fetch}) must not run concurrently on one repository.
 * Close it when done.
 */
public final class GitRepository implements AutoCloseable {
    private final Repository repository;
    private final Path location;
    private final GitCli cli;
    private final GitCredentials credentials;
    private final Remotes jgitRemotes;
    private final Remotes cliRemotes;

    private GitRepository(Repository repository, Path location, boolean cliForAllRemotes) {
        this.repository = repository;
        this.location = location;
        this.cli = new GitCli(location);
        this.credentials = new GitCredentials(cli);
        this.cliRemotes = new CliRemotes(cli);
        this.jgitRemotes = cliForAllRemotes ? cliRemotes : new JGitRemotes(repository, credentials);
    }

    /**
     * Opens the repository holding {@code dir}: its work tree is found by looking upward for
     * {@code .git} (a directory, or a file as in linked worktrees and submodules), as git does;
     * a bare repository may be opened by its own path.
     *
     * @throws GitException when {@code dir} is not inside a git repository
     */
    public static GitRepository open(Path dir) {
        return open(dir, false);
    }

    /** For tests: the git program for every remote, as for ssh ones. */
    static GitRepository open(Path dir, boolean cliForAllRemotes) {
        Path absolute = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(absolute)) {
            throw new GitException(absolute + " is not a directory; pass the project's directory (inside its git checkout)");
        }
        FileRepositoryBuilder builder = new FileRepositoryBuilder().setMustExist(true).findGitDir(absolute.toFile());
        if (builder.getGitDir() == null) {
            throw new GitException(absolute + " is not inside a git repository (no .git in it or any parent directory);"
                    + " run Cutter in the project's checkout, or `git init` it first");
        }
        try {
            Repository repository = builder.build();
            Path location = repository.isBare() ? repository.getDirectory().toPath() : repository.getWorkTree().toPath();
            return new GitRepository(repository, location, cliForAllRemotes);
        } catch (IOException | IllegalArgumentException e) {
            throw new GitException("cannot open the git repository at " + builder.getGitDir() + " (found from " + absolute + "): "
                    + e.getMessage() + "; check it with `git -C " + absolute + " status`", e);
        }
    }

    /** The work tree's root (the git directory for a bare repository). */
    public Path root() {
        return location;
    }

    /** The branch HEAD is on; empty when HEAD is detached (as in most CI checkouts of a tag). */
    public Optional<String> branch() {
        try {
            Ref head = repository.exactRef(Constants.HEAD);
            if (head == null || !head.isSymbolic()) {
                return Optional.empty();
            }
            return Optional.of(Repository.shortenRefName(head.getTarget().getName()));
        } catch (IOException e) {
            throw new GitException("cannot read HEAD of " + location + ": " + e.getMessage(), e);
        }
    }

    /**
     * The content of {@code file} (a path in the work tree) at {@code rev}; empty when that commit
     * has no such file.
     */
    public Optional<byte[]> read(String rev, Path file) {
        String path = relative(file);
        String commit = resolve(rev).orElseThrow(() -> new GitException(rev + " names no commit in " + location));
        try (RevWalk walk = new RevWalk(repository);
                org.eclipse.jgit.treewalk.TreeWalk tree = org.eclipse.jgit.treewalk.TreeWalk.forPath(repository, path,
                        walk.parseCommit(ObjectId.fromString(commit)).getTree())) {
            if (tree == null) {
                return Optional.empty();
            }
            return Optional.of(repository.open(tree.getObjectId(0)).getBytes());
        } catch (IOException e) {
            throw new GitException("cannot read " + path + " at " + rev + " in " + location + ": " + e.getMessage(), e);
        }
    }

    /** The commit at HEAD; empty in a repository without commits yet. */
    public Optional<String> head() {
        return resolve(Constants.HEAD);
    }

    /**
     * The commit {@code rev} names (tags peeled), or empty when it names nothing.
     *
     * @throws GitException when {@code rev} is malformed, ambiguous, or names something other than a commit
     */
    public Optional<String> resolve(String rev) {
        Objects.requireNonNull(rev, "rev");
        try {
            ObjectId id = repository.resolve(rev);
            if (id == null) {
                return Optional.empty();
            }
            try (RevWalk walk = new RevWalk(repository)) {
                RevObject peeled = walk.peel(walk.parseAny(id));
                if (!(peeled instanceof RevCommit)) {
                    throw new GitException(rev + " names a " + Constants.typeString(peeled.getType()) + ", not a commit, in " + location);
                }
                return Optional.of(peeled.name());
            }
        } catch (AmbiguousObjectException e) {
            throw new GitException(rev + " is ambiguous in " + location + " (it abbreviates " + e.getCandidates().size()
                    + " objects); use more characters of the commit id", e);
        } catch (RevisionSyntaxException e) {
            throw new GitException(rev + " is not a valid git revision in " + location + ": " + e.getMessage(), e);
        } catch (MissingObjectException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw io("resolve " + rev, e);
        }
    }

    /** When the commit {@code rev} names was committed (committer time). */
    public Instant commitTime(String rev) {
        try (RevWalk walk = new RevWalk(repository)) {
            return walk.parseCommit(commitId(rev)).getCommitterIdent().getWhenAsInstant();
        } catch (IOException e) {
            throw io("read commit " + rev, e);
        }
    }

    /** The tags pointing (peeled) at the commit {@code rev} names, sorted by name. */
    public List<String> tagsAt(String rev) {
        ObjectId commit = commitId(rev);
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, ObjectId> e : tagCommits().entrySet()) {
            if (e.getValue().equals(commit)) {
                names.add(e.getKey());
            }
        }
        return names;
    }

    /** Every local tag that points (peeled) at a commit, by name. */
    public Set<String> tagNames() {
        return new java.util.TreeSet<>(tagCommits().keySet());
    }

    /** The local tag {@code name}, if it exists and points (peeled) at a commit. */
    public Optional<Tag> findTag(String name) {
        try {
            Ref ref = repository.exactRef(Constants.R_TAGS + name);
            return ref == null ? Optional.empty() : readTag(ref);
        } catch (IOException e) {
            throw io("read tag " + name, e);
        }
    }

    /**
     * The previous tag of a line: among the tags whose name {@code matches} accepts, the one on the
     * newest commit (by commit date) reachable from {@code beforeRev}, not counting tags at
     * {@code beforeRev} itself — so for the commit being released, the release before it. With
     * several matching tags on that commit, as {@code git describe}: an annotated tag before a
     * lightweight one, then the newer tagger date, then the higher version-like name
     * ({@code v1.2.0} above {@code v1.2.0-rc.1} above {@code v1.1.10}).
     */
    public Optional<Tag> previousTag(Predicate<String> matches, String beforeRev) {
        ObjectId start = commitId(beforeRev);
        Map<ObjectId, List<Tag>> byCommit = new HashMap<>();
        try {
            for (Ref ref : repository.getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) {
                String name = ref.getName().substring(Constants.R_TAGS.length());
                if (matches.test(name)) {
                    readTag(ref).ifPresent(t -> byCommit.computeIfAbsent(ObjectId.fromString(t.commit()), c -> new ArrayList<>()).add(t));
                }
            }
            if (byCommit.isEmpty()) {
                return Optional.empty();
            }
            try (RevWalk walk = new RevWalk(repository)) {
                RevCommit first = walk.parseCommit(start);
                for (RevCommit parent : first.getParents()) {
                    walk.markStart(walk.parseCommit(parent));
                }
                for (RevCommit c : walk) {
                    List<Tag> tags = byCommit.get(c);
                    if (tags != null) {
                        return tags.stream().max(tagOrder());
                    }
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw io("walk the history of " + beforeRev, e);
        }
    }

    /** The fetch URL of the remote {@code name} ({@code origin}), or empty when there is no such remote. */
    public Optional<String> remoteUrl(String name) {
        try {
            if (!repository.getRemoteNames().contains(name)) {
                return Optional.empty();
            }
            List<URIish> urls = new RemoteConfig(repository.getConfig(), name).getURIs();
            return urls.isEmpty() ? Optional.empty() : Optional.of(urls.getFirst().toString());
        } catch (URISyntaxException e) {
            throw new GitException("remote " + name + " of " + location + " has a malformed URL: " + e.getMessage(), e);
        }
    }

    /** Whether the checkout is shallow (cloned with {@code --depth}): its history stops somewhere, so counts and tags before that are missing. */
    public boolean shallow() {
        return Files.exists(repository.getDirectory().toPath().resolve("shallow"));
    }

    /**
     * The nearest tag of a line at or before {@code rev}, as {@code git describe --tags} finds it:
     * a matching tag at {@code rev} itself, else {@link #previousTag}.
     */
    public Optional<Tag> nearestTag(Predicate<String> matches, String rev) {
        List<Tag> here = new ArrayList<>();
        for (String name : tagsAt(rev)) {
            if (matches.test(name)) {
                findTag(name).ifPresent(here::add);
            }
        }
        return here.isEmpty() ? previousTag(matches, rev) : here.stream().max(tagOrder());
    }

    /**
     * How many commits {@code toRev} has that {@code fromRev} has not, merges included (as {@code
     * git rev-list --count from..to}); all of {@code toRev}'s history when {@code fromRev} is empty.
     */
    public long commitsSince(Optional<String> fromRev, String toRev) {
        ObjectId to = commitId(toRev);
        Optional<ObjectId> from = fromRev.map(this::commitId);
        try (RevWalk walk = new RevWalk(repository)) {
            walk.markStart(walk.parseCommit(to));
            if (from.isPresent()) {
                walk.markUninteresting(walk.parseCommit(from.get()));
            }
            long count = 0;
            for (RevCommit ignored : walk) {
                count++;
            }
            return count;
        } catch (IOException e) {
            throw io("count the commits " + fromRev.map(f -> f + "..").orElse("") + toRev, e);
        }
    }

    /**
     * The files (paths relative to the work tree, '/'-separated) whose content or mode differs
     * between the trees of {@code fromRev} and {@code toRev}, added and removed ones included;
     * every file of {@code toRev} when {@code fromRev} is empty. Sorted.
     */
    public List<String> changedFiles(Optional<String> fromRev, String toRev) {
        ObjectId to = commitId(toRev);
        Optional<ObjectId> from = fromRev.map(this::commitId);
        try (RevWalk walk = new RevWalk(repository); TreeWalk tree = new TreeWalk(repository)) {
            tree.setRecursive(true);
            if (from.isPresent()) {
                tree.addTree(walk.parseCommit(from.get()).getTree());
                tree.addTree(walk.parseCommit(to).getTree());
                tree.setFilter(org.eclipse.jgit.treewalk.filter.TreeFilter.ANY_DIFF);
            } else {
                tree.addTree(walk.parseCommit(to).getTree());
            }
            List<String> paths = new ArrayList<>();
            while (tree.next()) {
                paths.add(tree.getPathString());
            }
            paths.sort(null);
            return paths;
        } catch (IOException e) {
            throw io("compare " + fromRev.orElse("nothing") + " with " + toRev, e);
        }
    }

    /**
     * The commits in {@code (fromRev, toRev]} — all of {@code toRev}'s history when {@code fromRev}
     * is empty — without merge commits, newest first in topological order (as
     * {@code git log --no-merges --topo-order from..to}); see {@link Changelog}.
     */
    public Changelog changelog(Optional<String> fromRev, String toRev) {
        ObjectId to = commitId(toRev);
        Optional<ObjectId> from = fromRev.map(this::commitId);
        List<Changelog.Change> changes = new ArrayList<>();
        try (RevWalk walk = new RevWalk(repository); ObjectReader reader = repository.newObjectReader()) {
            walk.sort(RevSort.TOPO, true);
            walk.sort(RevSort.COMMIT_TIME_DESC, true);
            walk.setRevFilter(RevFilter.NO_MERGES);
            walk.markStart(walk.parseCommit(to));
            if (from.isPresent()) {
                walk.markUninteresting(walk.parseCommit(from.get()));
            }
            for (RevCommit c : walk) {
                String message = c.getFullMessage();
                String subject = c.getShortMessage();
                int paragraph = message.indexOf("\n\n");
                String body = paragraph < 0 ? "" : message.substring(paragraph + 2).strip();
                PersonIdent a = c.getAuthorIdent();
                changes.add(Changelog.parse(c.name(), reader.abbreviate(c, 7).name(), subject, body,
                        new Identity(safe(a.getName()), safe(a.getEmailAddress()), a.getWhenAsInstant())));
            }
        } catch (IOException e) {
            throw io("read the commits " + fromRev.map(f -> f + "..").orElse("") + toRev, e);
        }
        return new Changelog(fromRev, toRev, changes);
    }

    /**
     * Stages {@code files} (relative to the work tree, or absolute inside it) and commits exactly
     * them — other staged changes stay staged and out of this commit — with {@code author} as author
     * and committer (time in UTC), the message cleaned as {@code git commit -m} does (trailing
     * whitespace and blank lines; {@code #} lines kept). No hooks run and nothing is signed, so the
     * same files, parent, message and identity always give the same commit id.
     *
     * @return the new commit, or HEAD with {@code created == false} when the files already match HEAD
     * @throws GitException when a file does not exist or is outside the work tree
     */
    public CommitResult commit(List<Path> files, String message, Identity author) {
        if (repository.isBare()) {
            throw new GitException(location + " is a bare repository: there is no work tree to commit files from");
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no files to commit");
        }
        List<String> paths = new ArrayList<>();
        for (Path file : files) {
            paths.add(relative(file));
        }
        try (Git git = Git.wrap(repository)) {
            var add = git.add();
            paths.forEach(add::addFilepattern);
            add.call();
            Optional<String> head = head();
            if (head.isPresent() && matchesHead(paths, ObjectId.fromString(head.get()))) {
                return new CommitResult(head.get(), false);
            }
            PersonIdent ident = new PersonIdent(author.name(), author.email(), author.time(), ZoneOffset.UTC);
            CommitCommand commit = git.commit().setMessage(message).setAuthor(ident).setCommitter(ident)
                    .setCleanupMode(CommitConfig.CleanupMode.WHITESPACE).setNoVerify(true).setSign(false).setAllowEmpty(false);
            if (head.isPresent()) {
                paths.forEach(commit::setOnly);
            }
            return new CommitResult(commit.call().name(), true);
        } catch (GitAPIException | IOException e) {
            throw new GitException("cannot commit " + paths + " in " + location + ": " + e.getMessage(), e);
        }
    }

    /**
     * The files under {@code dir} that differ from HEAD in the work tree: tracked files changed or
     * removed from the index aside, and untracked files git does not ignore — what a command run
     * there changed, to commit with it.
     */
    public List<Path> changedUnder(Path dir) {
        Path root = location.toAbsolutePath().normalize();
        Path under = (dir.isAbsolute() ? dir : root.resolve(dir)).normalize();
        try (Git git = Git.wrap(repository)) {
            org.eclipse.jgit.api.Status status = git.status().call();
            java.util.TreeSet<String> paths = new java.util.TreeSet<>();
            paths.addAll(status.getModified());
            paths.addAll(status.getChanged());
            paths.addAll(status.getAdded());
            paths.addAll(status.getUntracked());
            List<Path> out = new ArrayList<>();
            for (String p : paths) {
                Path file = root.resolve(p).normalize();
                if (file.startsWith(under) && Files.isRegularFile(file)) {
                    out.add(file);
                }
            }
            return out;
        } catch (GitAPIException e) {
            throw new GitException("cannot read the status of " + location + ": " + e.getMessage(), e);
        }
    }

    /**
     * Creates the annotated tag {@code name} at the commit {@code commit} names, with {@code message}
     * (cleaned as {@code git tag -m}: trailing whitespace) and {@code tagger} (time in UTC); never signed.
     * Idempotent: if the tag already exists at that commit (annotated or not) it is returned as it is.
     *
     * @throws TagMovedException when the tag exists at another commit; nothing changes
     * @throws GitException when {@code name} is not a valid tag name or {@code commit} names no commit
     */
    public Tag tag(String name, String commit, String message, Identity tagger) {
        if (!Repository.isValidRefName(Constants.R_TAGS + name)) {
            throw new GitException("\"" + name + "\" is not a valid git tag name (see `git check-ref-format`)");
        }
        ObjectId target = commitId(commit);
        Optional<Tag> existing = findTag(name);
        if (existing.isPresent()) {
            if (existing.get().commit().equals(target.name())) {
                return existing.get();
            }
            throw new TagMovedException(name, existing.get().commit(), target.name(), "the local repository " + location, "");
        }
        try (Git git = Git.wrap(repository); RevWalk walk = new RevWalk(repository)) {
            git.tag().setName(name).setObjectId(walk.parseCommit(target)).setAnnotated(true).setSigned(false)
                    .setMessage(tagMessage(message))
                    .setTagger(new PersonIdent(tagger.name(), tagger.email(), tagger.time(), ZoneOffset.UTC))
                    .setForceUpdate(false).call();
        } catch (GitAPIException | IOException e) {
            throw new GitException("cannot create tag " + name + " at " + target.name() + " in " + location + ": " + e.getMessage(), e);
        }
        return findTag(name).orElseThrow(() -> new GitException("tag " + name + " vanished right after being created in " + location));
    }

    /**
     * The remote's tags (short name → commit, peeled), as {@code git ls-remote --tags} shows them.
     *
     * @param remote a configured remote's name ({@code origin}) or a URL
     */
    public Map<String, String> remoteTags(String remote) {
        String url = url(remote);
        Map<String, String> tags = new TreeMap<>();
        for (Remotes.RemoteRef ref : remotes(url).refs(url).values()) {
            if (ref.name().startsWith(Constants.R_TAGS)) {
                tags.put(ref.name().substring(Constants.R_TAGS.length()), remoteCommit(ref, url).name());
            }
        }
        return tags;
    }

    /**
     * Pushes local tags to {@code remote}, one at a time in the given order (give dependency order:
     * whoever watches the remote sees them appear in it), never by force. First the remote's refs
     * are read and every tag checked: absent → pushed; present at the same commit (peeled; the tag
     * object may differ) → left alone, nothing sent — which makes a re-run or resumed run a no-op;
     * present at another commit → {@link TagMovedException} and nothing of this call is pushed. A
     * tag that appears on the remote at another commit between the check and its push is refused by
     * the remote; the exception then says which tags this call had already sent.
     *
     * @param remote a configured remote's name ({@code origin}; its push URL if it has one) or a URL
     * @throws TagMovedException when a tag exists on the remote at another commit
     * @throws GitRemoteException when the remote cannot be reached or refuses the credentials
     * @throws GitException when a tag does not exist locally
     */
    public PushResult pushTags(String remote, List<String> tags) {
        if (new HashSet<>(tags).size() != tags.size()) {
            throw new IllegalArgumentException("a tag is listed twice: " + tags);
        }
        String url = url(remote);
        String safeUrl = redact(url);
        Map<String, Tag> local = new LinkedHashMap<>();
        Map<String, ObjectId> objects = new HashMap<>();
        for (String name : tags) {
            try {
                Ref ref = repository.exactRef(Constants.R_TAGS + name);
                Optional<Tag> tag = ref == null ? Optional.empty() : readTag(ref);
                if (tag.isEmpty()) {
                    throw new GitException("tag " + name + " does not exist in " + location + " (or does not point at a commit);"
                            + " create it before pushing it to " + safeUrl);
                }
                local.put(name, tag.get());
                objects.put(name, ref.getObjectId());
            } catch (IOException e) {
                throw io("read tag " + name, e);
            }
        }
        Remotes side = remotes(url);
        Map<String, Remotes.RemoteRef> there = side.refs(url);
        List<TagMovedException> moved = new ArrayList<>();
        Set<String> present = new HashSet<>();
        for (Tag tag : local.values()) {
            Remotes.RemoteRef ref = there.get(Constants.R_TAGS + tag.name());
            if (ref != null) {
                String theirs = remoteCommit(ref, url).name();
                if (!theirs.equals(tag.commit())) {
                    moved.add(new TagMovedException(tag.name(), theirs, tag.commit(), safeUrl, ""));
                }
                present.add(tag.name());
            }
        }
        if (!moved.isEmpty()) {
            TagMovedException first = moved.getFirst();
            throw new TagMovedException(first.tag(), first.existingCommit(), first.requestedCommit(), safeUrl,
                    "nothing was pushed" + (moved.size() == 1 ? "" : "; these tags differ there too: "
                            + moved.stream().skip(1).map(TagMovedException::tag).toList()));
        }
        List<PushResult.Ref> results = new ArrayList<>();
        for (Tag tag : local.values()) {
            String refName = Constants.R_TAGS + tag.name();
            if (present.contains(tag.name())) {
                results.add(new PushResult.Ref(refName, tag.commit(), false));
                continue;
            }
            Remotes.Outcome outcome = side.push(url, refName, objects.get(tag.name()), refName, ObjectId.zeroId());
            if (outcome.status() == Remotes.Status.REJECTED) {
                String sent = "this call already pushed " + results.stream().filter(PushResult.Ref::sent).map(PushResult.Ref::name).toList();
                Remotes.RemoteRef now = side.refs(url).get(refName);
                if (now != null && !remoteCommit(now, url).name().equals(tag.commit())) {
                    throw new TagMovedException(tag.name(), remoteCommit(now, url).name(), tag.commit(), safeUrl,
                            "it appeared there while pushing; " + sent);
                }
                throw new GitException(safeUrl + " refused tag " + tag.name() + " (" + outcome.reason() + "); " + sent
                        + "; fix the cause and run again: tags already there are not pushed twice");
            }
            results.add(new PushResult.Ref(refName, tag.commit(), outcome.status() == Remotes.Status.OK));
        }
        return new PushResult(safeUrl, results);
    }

    /**
     * Sets branch {@code branch} on {@code remote} to the commit {@code rev} names, fast-forward
     * only (never by force). Already at that commit → nothing sent.
     *
     * @throws GitException when the remote branch has commits that {@code rev} does not contain:
     *     fetch, rebase (or merge) and release from the result
     */
    public PushResult pushBranch(String remote, String rev, String branch) {
        String refName = branch.startsWith(Constants.R_HEADS) ? branch : Constants.R_HEADS + branch;
        if (!Repository.isValidRefName(refName)) {
            throw new GitException("\"" + branch + "\" is not a valid git branch name");
        }
        ObjectId commit = commitId(rev);
        String url = url(remote);
        String safeUrl = redact(url);
        Remotes side = remotes(url);
        Remotes.RemoteRef current = side.refs(url).get(refName);
        if (current != null && current.id().equals(commit)) {
            return new PushResult(safeUrl, List.of(new PushResult.Ref(refName, commit.name(), false)));
        }
        Remotes.Outcome outcome = side.push(url, commit.name(), commit, refName, current == null ? ObjectId.zeroId() : current.id());
        if (outcome.status() == Remotes.Status.REJECTED && !diverged(outcome.reason())) {
            throw new PushRefusedException(safeUrl, refName, outcome.reason());
        }
        if (outcome.status() == Remotes.Status.REJECTED) {
            throw new GitException(safeUrl + " refused to move " + refName + " to " + commit.name() + " from " + current.id().name()
                    + " (" + outcome.reason() + "): the branch has commits this one does not contain;"
                    + " fetch it, rebase (or merge) onto it, and release from the result");
        }
        return new PushResult(safeUrl, List.of(new PushResult.Ref(refName, commit.name(), outcome.status() == Remotes.Status.OK)));
    }

    /** Whether a refusal says the ref moved on the remote (JGit's and git's words for it), not that a rule refused it. */
    private static boolean diverged(String reason) {
        String r = reason.toLowerCase(java.util.Locale.ROOT);
        return r.contains("nonfastforward") || r.contains("non-fast-forward") || r.contains("remote_changed") || r.contains("stale info")
                || r.contains("fetch first");
    }

    /**
     * The oldest of the newest {@code limit} commits reachable from {@code rev} (merged branches
     * included) whose subject {@code subject} accepts; empty when none does.
     */
    public Optional<String> oldestWithSubject(String rev, Predicate<String> subject, int limit) {
        Optional<String> start = resolve(rev);
        if (start.isEmpty()) {
            return Optional.empty();
        }
        try (RevWalk walk = new RevWalk(repository)) {
            walk.markStart(walk.parseCommit(ObjectId.fromString(start.get())));
            String oldest = null;
            int seen = 0;
            for (RevCommit commit : walk) {
                if (++seen > limit) {
                    break;
                }
                if (subject.test(commit.getShortMessage())) {
                    oldest = commit.name();
                }
            }
            return Optional.ofNullable(oldest);
        } catch (IOException e) {
            throw io("read the history of " + rev, e);
        }
    }

    /** The first parent of commit {@code rev}; empty for a root commit. */
    public Optional<String> parent(String rev) {
        String commit = resolve(rev).orElseThrow(() -> new GitException(rev + " names no commit in " + location));
        try (RevWalk walk = new RevWalk(repository)) {
            RevCommit c = walk.parseCommit(ObjectId.fromString(commit));
            return c.getParentCount() == 0 ? Optional.empty() : Optional.of(c.getParent(0).name());
        } catch (IOException e) {
            throw io("read commit " + rev, e);
        }
    }

    /** The full message of commit {@code rev}. */
    public String message(String rev) {
        String commit = resolve(rev).orElseThrow(() -> new GitException(rev + " names no commit in " + location));
        try (RevWalk walk = new RevWalk(repository)) {
            return walk.parseCommit(ObjectId.fromString(commit)).getFullMessage();
        } catch (IOException e) {
            throw io("read commit " + rev, e);
        }
    }

    /** Whether {@code ancestor} is {@code descendant} or one of its ancestors; false when either is not a commit here. */
    public boolean contains(String descendant, String ancestor) {
        Optional<String> d = resolve(descendant);
        Optional<String> a = resolve(ancestor);
        if (d.isEmpty() || a.isEmpty()) {
            return false;
        }
        try (RevWalk walk = new RevWalk(repository)) {
            return walk.isMergedInto(walk.parseCommit(ObjectId.fromString(a.get())), walk.parseCommit(ObjectId.fromString(d.get())));
        } catch (IOException e) {
            throw io("compare " + ancestor + " with " + descendant, e);
        }
    }

    /**
     * Moves the branch HEAD is on to {@code commit}, work tree and index with it: a fast-forward
     * when HEAD is an ancestor of it (a pull request merged with a merge commit), or, when HEAD is
     * not but both have the same tree (a squash or rebase of HEAD onto the same base), the branch
     * alone. Anything else would lose work, and is refused naming both commits.
     */
    public void moveTo(String commit) {
        String head = head().orElseThrow(() -> new GitException(location + " has no commit to move on from"));
        if (head.equals(commit)) {
            return;
        }
        try (Git git = Git.wrap(repository); RevWalk walk = new RevWalk(repository)) {
            var target = walk.parseCommit(ObjectId.fromString(commit));
            var current = walk.parseCommit(ObjectId.fromString(head));
            if (walk.isMergedInto(current, target)) {
                var result = git.merge().include(target).setFastForward(org.eclipse.jgit.api.MergeCommand.FastForwardMode.FF_ONLY)
                        .setCommit(true).call();
                if (!result.getMergeStatus().isSuccessful()) {
                    throw new GitException("cannot fast-forward " + location + " from " + head + " to " + commit + " ("
                            + result.getMergeStatus() + "): the work tree has changes in the way; commit or stash them");
                }
                return;
            }
            if (!current.getTree().equals(target.getTree())) {
                throw new GitException(commit + " does not contain " + head + " and has other files: " + location
                        + " cannot follow it without losing work; update it by hand (git fetch, then git reset --keep " + commit + ")");
            }
            git.reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.SOFT).setRef(commit).call();
        } catch (GitAPIException | IOException e) {
            throw new GitException("cannot move " + location + " to " + commit + ": " + e.getMessage(), e);
        }
    }

    /**
     * Fetches {@code refspecs} ({@code refs/tags/*:refs/tags/*}, {@code +refs/heads/main:refs/remotes/origin/main})
     * from {@code remote}; no tags besides those asked for. A non-{@code +} refspec never overwrites
     * a local ref that diverged (a local tag at another commit stays, and this throws).
     */
    public void fetch(String remote, List<String> refspecs) {
        String url = url(remote);
        remotes(url).fetch(url, refspecs);
    }

    @Override
    public void close() {
        repository.close();
    }

    // --- internals ------------------------------------------------------------------------------

    private ObjectId commitId(String rev) {
        return ObjectId.fromString(resolve(rev).orElseThrow(() -> new GitException(
                "no commit " + rev + " in " + location + "; check the name (`git -C " + location + " log " + rev + "`), or fetch it")));
    }

    /** name → peeled commit of every tag that points at a commit, sorted by name. */
    private Map<String, ObjectId> tagCommits() {
        Map<String, ObjectId> tags = new TreeMap<>();
        try {
            for (Ref ref : repository.getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) {
                readTag(ref).ifPresent(t -> tags.put(t.name(), ObjectId.fromString(t.commit())));
            }
        } catch (IOException e) {
            throw io("list tags", e);
        }
        return tags;
    }

    private Optional<Tag> readTag(Ref ref) throws IOException {
        String name = ref.getName().substring(Constants.R_TAGS.length());
        try (RevWalk walk = new RevWalk(repository)) {
            RevObject object = walk.parseAny(ref.getObjectId());
            RevObject target = walk.peel(object);
            if (!(target instanceof RevCommit)) {
                return Optional.empty();
            }
            if (object instanceof RevTag tag) {
                return Optional.of(new Tag(name, target.name(), true, tag.getFullMessage()));
            }
            return Optional.of(new Tag(name, target.name(), false, ""));
        } catch (MissingObjectException e) {
            return Optional.empty();
        }
    }

    /** As {@code git tag -m}: trailing whitespace and blank lines dropped, one final newline. */
    private static String tagMessage(String message) {
        String clean = CommitConfig.cleanText(message, CommitConfig.CleanupMode.WHITESPACE, '#');
        return clean.isEmpty() || clean.endsWith("\n") ? clean : clean + "\n";
    }

    private Comparator<Tag> tagOrder() {
        return Comparator.comparing(Tag::annotated)
                .thenComparing(this::taggerTime)
                .thenComparing(Tag::name, GitRepository::compareVersionish);
    }

    private Instant taggerTime(Tag tag) {
        try (RevWalk walk = new RevWalk(repository)) {
            Ref ref = repository.exactRef(Constants.R_TAGS + tag.name());
            RevObject object = walk.parseAny(ref.getObjectId());
            return object instanceof RevTag t && t.getTaggerIdent() != null ? t.getTaggerIdent().getWhenAsInstant() : Instant.EPOCH;
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    /**
     * Orders names like versions: digit runs compare as numbers, and a name that continues another
     * with {@code -} is a pre-release of it, so lower ({@code v1.2.0-rc.1 < v1.2.0 < v1.10.0}).
     */
    static int compareVersionish(String a, String b) {
        if (b.startsWith(a + "-")) {
            return 1;
        }
        if (a.startsWith(b + "-")) {
            return -1;
        }
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int ei = i;
                int ej = j;
                while (ei < a.length() && Character.isDigit(a.charAt(ei))) {
                    ei++;
                }
                while (ej < b.length() && Character.isDigit(b.charAt(ej))) {
                    ej++;
                }
                int c = new java.math.BigInteger(a.substring(i, ei)).compareTo(new java.math.BigInteger(b.substring(j, ej)));
                if (c != 0) {
                    return c;
                }
                i = ei;
                j = ej;
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        if (i == a.length() && j == b.length()) {
            return 0;
        }
        return i == a.length() ? (b.charAt(j) == '-' ? 1 : -1) : (a.charAt(i) == '-' ? -1 : 1);
    }

    /** Whether the index entries of {@code paths} (just staged) equal those in {@code head}'s tree. */
    private boolean matchesHead(List<String> paths, ObjectId head) throws IOException {
        DirCache index = repository.readDirCache();
        try (RevWalk walk = new RevWalk(repository)) {
            RevCommit commit = walk.parseCommit(head);
            for (String path : paths) {
                DirCacheEntry entry = index.getEntry(path);
                try (TreeWalk tree = TreeWalk.forPath(repository, path, commit.getTree())) {
                    if (entry == null || tree == null || !tree.getObjectId(0).equals(entry.getObjectId())
                            || tree.getRawMode(0) != entry.getRawMode()) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private String relative(Path file) {
        Path root = location.toAbsolutePath().normalize();
        Path absolute = (file.isAbsolute() ? file : root.resolve(file)).normalize();
        if (!absolute.startsWith(root) || absolute.equals(root)) {
            throw new GitException(file + " is outside the work tree " + root + "; only files of the repository can be committed");
        }
        if (!Files.isRegularFile(absolute, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(absolute)) {
            throw new GitException(absolute + " does not exist (or is a directory); commit takes existing files of " + root);
        }
        return root.relativize(absolute).toString().replace(File.separatorChar, '/');
    }

    /** The URL of a configured remote (its push URL if set) or {@code remote} itself when it is a URL or path. */
    private String url(String remote) {
        Objects.requireNonNull(remote, "remote");
        try {
            if (repository.getRemoteNames().contains(remote)) {
                RemoteConfig config = new RemoteConfig(repository.getConfig(), remote);
                List<URIish> urls = config.getPushURIs().isEmpty() ? config.getURIs() : config.getPushURIs();
                if (urls.isEmpty()) {
                    throw new GitException("remote " + remote + " of " + location + " has no URL; set one with"
                            + " `git remote set-url " + remote + " URL`");
                }
                return urls.getFirst().toString();
            }
        } catch (URISyntaxException e) {
            throw new GitException("remote " + remote + " of " + location + " has a malformed URL: " + e.getMessage(), e);
        }
        if (!remote.contains("/") && !remote.contains(":") && !remote.contains("\\")) {
            throw new GitException("no remote named " + remote + " in " + location + " (it has " + repository.getRemoteNames()
                    + "); add it with `git remote add " + remote + " URL`, or pass a URL");
        }
        return remote;
    }

    /** ssh (and anything JGit cannot speak) through the git program, the rest through JGit. */
    private Remotes remotes(String url) {
        try {
            URIish uri = new URIish(url);
            String scheme = uri.getScheme();
            if (scheme == null) {
                return uri.getHost() == null ? jgitRemotes : cliRemotes; // a path, or scp-like user@host:path
            }
            return switch (scheme) {
                case "file", "git", "http", "https" -> jgitRemotes;
                default -> cliRemotes;
            };
        } catch (URISyntaxException e) {
            return cliRemotes;
        }
    }

    /** The commit a remote ref points at, peeled; asks the local object database when the remote did not say. */
    private ObjectId remoteCommit(Remotes.RemoteRef ref, String url) {
        if (ref.peeled() != null) {
            return ref.peeled();
        }
        try (RevWalk walk = new RevWalk(repository)) {
            return walk.peel(walk.parseAny(ref.id())).getId();
        } catch (IOException e) {
            throw new GitException(redact(url) + " did not tell what " + ref.name() + " (" + ref.id().name()
                    + ") points at and that object is not in " + location + "; fetch it first (git fetch " + redact(url) + " " + ref.name() + ")", e);
        }
    }

    private GitException io(String what, IOException e) {
        return new GitException("cannot " + what + " in " + location + ": " + e.getMessage()
                + "; check the repository with `git -C " + location + " fsck`", e);
    }

    private static String safe(String s) {
        return s == null || s.isBlank() ? "unknown" : s.replaceAll("[<>\\r\\n\\x00]", "");
    }

    /** {@code url} without a password or token in its user part. */
    static String redact(String url) {
        return url.replaceFirst("(?<=://)[^/?#]*@", ""); // up to the authority's last @: a password may hold one
    }
}
