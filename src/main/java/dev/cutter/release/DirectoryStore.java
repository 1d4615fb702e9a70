package dev.cutter.release;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import dev.cutter.content.Digest;
import dev.cutter.content.FileTrees;
import dev.cutter.content.PublishedFiles;
import dev.cutter.content.Staging;
import dev.cutter.content.TreeLock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Releases in a directory, the way a forge would show them: {@code ROOT/<name>/} holds the
 * assets, {@code release.json} ({@link ReleaseJson}) and {@code NOTES.md}. It stands in for
 * GitHub releases where a project has no forge, and can be served over HTTP as it is.
 *
 * <h2>Layout</h2>
 * <pre>
 * ROOT/
 *   v0.9-beta -> .releases/v0.9-beta@&lt;content digest&gt;     (a relative symbolic link)
 *   .releases/v0.9-beta@&lt;content digest&gt;/
 *       kontain.tar.gz  runenv-python.tar.gz  SHA256SUMS  release.json  NOTES.md
 *   .lock           held by whoever publishes or deletes
 * </pre>
 * The content digest is the sha256 of {@code release.json} followed by {@code NOTES.md}; as
 * {@code release.json} lists every asset's digest, the directory's name identifies its content.
 *
 * <h2>Why readers never see half a release</h2>
 * A release is written to a directory of Cutter's {@link Staging}, outside the store, every file
 * and the directory are fsynced, and the directory is renamed into {@code .releases/}: nothing
 * points at it yet. Then a new link is made in the staging and renamed over {@code ROOT/<name>} —
 * {@code rename(2)} replaces a link atomically, so at every instant {@code ROOT/<name>} is either
 * the old release or the new one, never missing, never mixed. The replaced directory is deleted
 * after the swap.
 *
 * <p>A reader that wants one consistent release resolves {@code ROOT/<name>} once (a shell's
 * {@code cd}, {@link Path#toRealPath}, {@code realpath}) and reads every file from the resolved
 * directory. If a file is missing there, the release was replaced while it read and the old
 * directory deleted: resolve again and start over. Reading {@code ROOT/<name>/a} and then
 * {@code ROOT/<name>/b} through the link may mix two releases if one replaces the other in between.
 *
 * <h2>Kills and concurrency</h2>
 * A publication killed at any point leaves the previous state visible plus, at worst, an
 * unreferenced directory in {@code .releases/}, which {@link #list()} and {@link #find} never look
 * at and the next publication that writes a release removes; what it staged is its staging's
 * owner's to remove (a resumed run removes what its killed attempt staged).
 * Publications and deletions in one store take {@code .lock} (a file lock, plus a lock within
 * this JVM), so they run one at a time across processes; reading takes no lock.
 *
 * <p>A publication of identical content ({@link ReleaseStore#publish}) returns before anything is
 * created, written or cleaned, so the store stays byte for byte as it was.
 */
public final class DirectoryStore implements ReleaseStore {
    static final String RELEASE_JSON = "release.json";
    static final String NOTES = "NOTES.md";
    static final String RELEASES = ".releases";
    /** Where earlier versions of Cutter staged releases, inside the store: removed with the other leftovers. */
    static final String OLD_STAGING = ".staging";
    static final String LOCK = ".lock";
    /** Release names become directory names with a 65-character suffix; file names stop at 255 bytes. */
    static final int MAX_NAME_BYTES = 128;

    private static final int BUFFER = 1 << 18;
    private static final int READ_ATTEMPTS = 5;

    private final Path root;
    private final Staging staging;

    /** The store in {@code root}; what it writes is made in {@code staging} first. */
    public DirectoryStore(Path root, Staging staging) {
        this.root = root.toAbsolutePath().normalize();
        this.staging = staging;
    }

    public Path root() {
        return root;
    }

    /** The store's directory, or the nearest directory it would be made in, must be one this process may write. */
    @Override
    public Optional<String> mayPublish() {
        Path at = root.toAbsolutePath();
        while (at != null && !Files.exists(at)) {
            at = at.getParent();
        }
        if (at == null || !Files.isDirectory(at)) {
            return Optional.of(at + " is not a directory, so the store cannot be made there");
        }
        return Files.isWritable(at) ? Optional.empty() : Optional.of("this process may not write in " + at);
    }

    @Override
    public String describe() {
        return "dir:" + root;
    }

    @Override
    public Optional<ReleaseInfo> find(String name) {
        checkName(name);
        return load(name).map(Loaded::info);
    }

    @Override
    public java.io.InputStream openAsset(String release, String asset) throws IOException {
        checkName(release);
        Loaded loaded = load(release).orElseThrow(() -> new java.io.FileNotFoundException(describe() + " has no release " + release));
        if (loaded.info().assets().stream().noneMatch(a -> a.name().equals(asset))) {
            throw new java.io.FileNotFoundException(describe() + "/" + release + " has no asset " + asset);
        }
        return Files.newInputStream(loaded.dir().resolve(asset));
    }

    @Override
    public List<ReleaseInfo> list() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<ReleaseInfo> releases = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                // Only entries holding a release.json are releases; the store's own entries start with a dot.
                if (!name.startsWith(".") && Files.isRegularFile(entry.resolve(RELEASE_JSON))) {
                    load(name).ifPresent(loaded -> releases.add(loaded.info()));
                }
            }
        } catch (IOException e) {
            throw failure("could not list the releases", e);
        }
        releases.sort(ReleaseInfo.NEWEST_FIRST);
        return List.copyOf(releases);
    }

    @Override
    @SuppressWarnings("try") // the lock is held, not used, for the duration of the block
    public PublishResult publish(ReleaseDraft draft, ExistsPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        String name = draft.name();
        checkName(name);
        for (Asset asset : draft.assets()) {
            if (asset.name().equals(RELEASE_JSON) || asset.name().equals(NOTES)) {
                throw new InvalidReleaseException(describe() + ": release " + name + " cannot have an asset named "
                        + asset.name() + ": the directory store keeps the release's " + (asset.name().equals(NOTES)
                                ? "notes" : "metadata") + " there; rename the asset");
            }
        }
        if (draft.draft()) {
            throw new InvalidReleaseException(describe() + ": release " + name + " is marked as a draft, but a"
                    + " directory store has no drafts (a release appears whole or not at all); publish it without"
                    + " draft, or to a forge");
        }
        ReleaseInfo wanted = draft.info();
        byte[] json = ReleaseJson.write(wanted);
        byte[] notes = draft.notes().getBytes(UTF_8);
        Path link = root.resolve(name);
        try (TreeLock lock = lock()) {
            Optional<Loaded> existing = load(name);
            if (existing.isPresent()) {
                Loaded old = existing.get();
                List<String> differences = Differences.between(old.info(), readNotes(old.dir()), wanted, draft.notes());
                if (differences.isEmpty()) {
                    return new PublishResult(PublishResult.Outcome.UNCHANGED, old.info(), Optional.empty());
                }
                if (policy == ExistsPolicy.FAIL) {
                    throw new ReleaseExistsException(describe(), name, differences);
                }
                if (!Files.isSymbolicLink(link)) {
                    throw new ReleaseException(describe() + ": cannot replace release " + name + " atomically: " + link
                            + " is a directory, not a link into " + RELEASES + "/ as Cutter makes them; move it away"
                            + " (or delete the release) and publish again");
                }
            }
            removeLeftovers();
            Optional<Path> previous = existing.isPresent() ? Optional.of(Files.readSymbolicLink(link)) : Optional.empty();
            Path target = makeVisible(name, stage(draft, json, notes), contentName(name, json, notes));
            // The swap is done; nobody reaches the previous directory through the link any more.
            previous.map(root::resolve).map(Path::normalize)
                    .filter(old -> old.getParent().equals(root.resolve(RELEASES)) && !old.equals(target))
                    .ifPresent(this::deleteQuietly);
            return existing.isPresent()
                    ? new PublishResult(PublishResult.Outcome.REPLACED, wanted, Optional.of(existing.get().info()))
                    : new PublishResult(PublishResult.Outcome.CREATED, wanted, Optional.empty());
        } catch (IOException e) {
            throw failure("could not publish release " + name, e);
        }
    }

    @Override
    @SuppressWarnings("try") // the lock is held, not used, for the duration of the block
    public void delete(String name) {
        checkName(name);
        Path link = root.resolve(name);
        if (!Files.exists(link, NOFOLLOW_LINKS)) {
            return;
        }
        try (TreeLock lock = lock()) {
            if (!Files.exists(link, NOFOLLOW_LINKS)) {
                return;
            }
            if (Files.isSymbolicLink(link)) {
                Path target = root.resolve(Files.readSymbolicLink(link)).normalize();
                Files.delete(link); // the release disappears at once
                Staging.syncDirectory(root);
                if (target.getParent().equals(root.resolve(RELEASES))) {
                    FileTrees.delete(target);
                }
            } else if (Files.isRegularFile(link.resolve(RELEASE_JSON))) {
                // A release directory made by hand: move it out of sight in one rename, then delete it.
                Path aside = staging.name(root, name);
                Staging.move(link, aside);
                Staging.syncDirectory(root);
                FileTrees.delete(aside);
            } else {
                throw new InvalidReleaseException(describe() + ": " + link + " is not a release (no " + RELEASE_JSON
                        + "); not deleting it");
            }
        } catch (IOException e) {
            throw failure("could not delete release " + name, e);
        }
    }

    /** A release as read from the store, with the directory it was read from. */
    private record Loaded(Path dir, ReleaseInfo info) {}

    /**
     * Reads {@code ROOT/<name>} through one resolution of its link, starting over when the
     * release is replaced or deleted while it is read.
     */
    private Optional<Loaded> load(String name) {
        Path link = root.resolve(name);
        for (int attempt = 1; ; attempt++) {
            boolean lastAttempt = attempt == READ_ATTEMPTS;
            Optional<Path> resolved = resolve(link);
            if (resolved.isEmpty()) {
                if (!Files.exists(link, NOFOLLOW_LINKS)) {
                    return Optional.empty();
                }
                if (!lastAttempt) {
                    continue; // the link moved on while it was being resolved
                }
                throw new ReleaseException(describe() + ": " + link + " points to a directory that does not exist;"
                        + " delete the release and publish it again");
            }
            Path dir = resolved.get();
            try {
                byte[] json = Files.readAllBytes(dir.resolve(RELEASE_JSON));
                return Optional.of(new Loaded(dir, ReleaseJson.read(name, json, link.resolve(RELEASE_JSON))));
            } catch (IOException e) {
                Optional<Path> now = resolve(link);
                if (now.isEmpty() && !Files.exists(link, NOFOLLOW_LINKS)) {
                    return Optional.empty(); // deleted while we read it
                }
                if (!lastAttempt && !now.equals(resolved)) {
                    continue; // replaced while we read it; its old directory is being deleted
                }
                if (e instanceof NoSuchFileException || !Files.isDirectory(dir)) {
                    throw new ReleaseException(describe() + ": " + link + " is not a release: it has no "
                            + RELEASE_JSON + "; move it away or choose another release name");
                }
                throw failure("could not read " + link.resolve(RELEASE_JSON), e);
            }
        }
    }

    /** Where {@code link} leads now, or empty if it leads nowhere. */
    private Optional<Path> resolve(Path link) {
        try {
            return Optional.of(link.toRealPath());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw failure("could not read " + link, e);
        }
    }

    private static String readNotes(Path dir) throws IOException {
        Path notes = dir.resolve(NOTES);
        return Files.exists(notes) ? Files.readString(notes, UTF_8) : "";
    }

    /** Writes the whole release into a fresh directory of the staging, fsynced. */
    private Path stage(ReleaseDraft draft, byte[] json, byte[] notes) throws IOException {
        Path staged = staging.directory(root, draft.name());
        try {
            for (Asset asset : draft.assets()) {
                copyVerified(draft.name(), asset, staged.resolve(asset.name()));
            }
            write(staged.resolve(RELEASE_JSON), json);
            write(staged.resolve(NOTES), notes);
            Staging.syncDirectory(staged);
            return staged;
        } catch (IOException | RuntimeException e) {
            deleteQuietly(staged);
            throw e;
        }
    }

    /** Moves a staged release into {@code .releases/} and points {@code ROOT/<name>} at it, each step one rename. */
    private Path makeVisible(String name, Path staged, String contentName) throws IOException {
        Path releases = root.resolve(RELEASES);
        Files.createDirectories(releases);
        Path target = releases.resolve(contentName);
        Path newLink = staging.name(root, name + ".link");
        try {
            Staging.move(staged, target);
            // Relative, so the store can be moved, copied or served as it is.
            Files.createSymbolicLink(newLink, Path.of(RELEASES, contentName));
            Staging.move(newLink, root.resolve(name));
            return target;
        } catch (IOException | RuntimeException e) {
            deleteQuietly(staged);
            deleteQuietly(newLink);
            if (!isLinkedFrom(root.resolve(name), target)) {
                deleteQuietly(target);
            }
            throw e;
        }
    }

    private boolean isLinkedFrom(Path link, Path target) {
        try {
            return Files.isSymbolicLink(link) && root.resolve(Files.readSymbolicLink(link)).normalize().equals(target);
        } catch (IOException e) {
            return true; // when in doubt, keep it
        }
    }

    /** {@code <name>@<sha256 of release.json and NOTES.md>}: a directory name that identifies its content. */
    private static String contentName(String name, byte[] json, byte[] notes) {
        byte[] both = new byte[json.length + notes.length];
        System.arraycopy(json, 0, both, 0, json.length);
        System.arraycopy(notes, 0, both, json.length, notes.length);
        return name + "@" + Digest.sha256(both).hex();
    }

    /** Copies an asset, digesting while the bytes flow; refuses it unless digest and size are what the release says. */
    private void copyVerified(String release, Asset asset, Path target) throws IOException {
        Digest actual;
        long size;
        try (InputStream in = Files.newInputStream(asset.source());
                FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            PublishedFiles.makeReadable(target); // served as it is by a web server, whatever the umask
            Digest.Counting counting = new Digest.Counting(Channels.newOutputStream(out), asset.digest().algorithm());
            byte[] buffer = new byte[BUFFER];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                counting.write(buffer, 0, n);
            }
            out.force(true);
            actual = counting.digest();
            size = counting.size();
        } catch (NoSuchFileException e) {
            if (e.getFile() != null && Path.of(e.getFile()).equals(asset.source())) {
                throw new ReleaseException("asset " + asset.name() + " of release " + release + ": " + asset.source()
                        + " does not exist; nothing was published to " + describe());
            }
            throw e;
        }
        if (!actual.equals(asset.digest()) || size != asset.size()) {
            throw new ReleaseException("asset " + asset.name() + " of release " + release + ": " + asset.source()
                    + " is " + actual + " (" + size + " bytes), not " + asset.digest() + " (" + asset.size()
                    + " bytes) as the release says; it changed after it was built, so build it again."
                    + " Nothing was published to " + describe());
        }
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            PublishedFiles.makeReadable(file);
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        }
    }

    /**
     * Removes what killed publications left: directories in {@code .releases/} that no release
     * links to, and what earlier versions of Cutter staged inside the store. Runs under the
     * store's lock, so nobody is writing them.
     */
    private void removeLeftovers() throws IOException {
        FileTrees.delete(root.resolve(OLD_STAGING));
        Path releases = root.resolve(RELEASES);
        if (!Files.isDirectory(releases, NOFOLLOW_LINKS)) {
            return;
        }
        Set<Path> linked = new HashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                if (Files.isSymbolicLink(entry)) {
                    linked.add(root.resolve(Files.readSymbolicLink(entry)).normalize());
                }
            }
        }
        try (DirectoryStream<Path> targets = Files.newDirectoryStream(releases)) {
            for (Path target : targets) {
                if (!linked.contains(target)) {
                    FileTrees.delete(target);
                }
            }
        }
    }

    private void deleteQuietly(Path path) {
        try {
            FileTrees.delete(path);
        } catch (IOException ignored) {
            // A leftover; the next publication removes it.
        }
    }

    /**
     * Refuses names that are not one plain directory entry: release names become {@code ROOT/<name>},
     * so {@code /}, {@code ..} and control characters could reach outside the store or confuse a
     * terminal, and a leading dot is kept for the store's own entries.
     */
    private void checkName(String name) {
        Objects.requireNonNull(name, "release name");
        String problem = name.isEmpty() ? "it is empty"
                : name.indexOf('/') >= 0 || name.indexOf('\\') >= 0 ? "it contains a path separator"
                : name.contains("..") ? "it contains '..'"
                : name.startsWith(".") ? "it starts with '.', which the store keeps for its own entries"
                : name.codePoints().anyMatch(Character::isISOControl) ? "it contains a control character"
                : name.getBytes(UTF_8).length > MAX_NAME_BYTES ? "it is longer than " + MAX_NAME_BYTES + " bytes"
                : null;
        if (problem != null) {
            throw new InvalidReleaseException(describe() + ": \"" + Asset.printable(name) + "\" is not a valid release"
                    + " name: " + problem + "; use a single directory name such as v0.9-beta");
        }
    }

    private ReleaseException failure(String what, IOException cause) {
        String detail = switch (cause) {
            case NoSuchFileException missing -> "no such file " + missing.getFile();
            case java.nio.file.AccessDeniedException denied -> "permission denied on " + denied.getFile();
            default -> cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        };
        return new ReleaseException(describe() + ": " + what + ": " + detail, cause);
    }

    /** The store's lock: one publication or deletion at a time, in this JVM and across processes. */
    private TreeLock lock() throws IOException {
        return TreeLock.acquire(root.resolve(LOCK));
    }

    @Override
    public String toString() {
        return describe();
    }
}
