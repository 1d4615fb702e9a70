package dev.cutter.repo.remote;

import dev.cutter.content.FileTrees;
import dev.cutter.content.Staging;
import dev.cutter.repo.remote.SyncException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.ExecutionException;

/**
 * Makes a remote directory, over SFTP, equal to a local one (files, directories, symbolic links),
 * in an order that keeps a repository consistent for clients reading the remote over HTTP while the
 * sync runs. See the package documentation for the order, the manifest and crash safety.
 *
 * <p>An instance holds no state between syncs and may be shared; two syncs to the same target must
 * not run at once (the caller serializes them: the second would delete the first's temporary files).
 */
public final class SftpPublisher {
    private final RemoteFs.Connector connector;

    /** A publisher connecting with JSch. */
    public SftpPublisher() {
        this(JschRemoteFs::connect);
    }

    /** A publisher whose connections come from {@code connector} (tests record or break them). */
    SftpPublisher(RemoteFs.Connector connector) {
        this.connector = connector;
    }

    /**
     * Makes {@code target} equal to {@code localRoot}. Rerunning after any failure (a lost
     * connection, a crash of either side) converges: temporary files an interrupted run left are
     * deleted, files it completed are not uploaded again once the manifest recorded them.
     *
     * @throws SyncException naming the target and path, with {@link SyncException#reason()} telling a
     *     lost connection (retry) from a refused key or host key (do not)
     */
    public SyncResult sync(Path localRoot, SftpTarget target, SshAuth auth, SyncOptions options) throws IOException {
        Path root = localRoot.toAbsolutePath().normalize();
        Tree local = Tree.scanLocal(root);
        try (Connections connections = new Connections(target, auth, options)) {
            RemoteFs main = connections.take();
            Optional<RemoteFs.Entry> top = main.lstat(target.path());
            Tree remote = Tree.scanRemote(main, target.path());
            Manifest manifest = top.isEmpty() ? Manifest.empty()
                    : main.read(target.path() + "/" + Tree.MANIFEST).map(Manifest::parse).orElse(Manifest.empty());
            SyncPlan plan = SyncPlan.of(local, remote, manifest, options.delete(), rel -> sha256(root.resolve(rel)));
            Run run = new Run(root, target, local, plan, connections);
            if (options.dryRun()) {
                connections.give(main);
                return run.dryRun();
            }
            if (top.isEmpty()) {
                mkdirs(main, target.path());
            }
            connections.give(main);
            return run.execute(options.delete());
        }
    }

    /**
     * Whether {@code target} can be published to, asked without changing it: the server answers,
     * its host key is the one trusted, the login is accepted, and the target path is a directory
     * or not made yet.
     *
     * @return why not, or empty
     */
    public Optional<String> reach(SftpTarget target, SshAuth auth, SyncOptions options) throws IOException {
        try (RemoteFs fs = connector.connect(target, auth, options)) {
            Optional<RemoteFs.Entry> top = fs.lstat(target.path());
            return top.filter(entry -> entry.kind() != RemoteFs.Kind.DIRECTORY)
                    .map(entry -> target + ": " + target.path() + " is there but is not a directory");
        } catch (SyncException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * Whether the local file {@code mine} already holds what the server's file {@code theirs}
     * holds, as the server's manifest vouches for it: the very file whose sha256 the manifest
     * recorded (its stamp), or a file with that sha256. Size and time do not tell: Cutter writes
     * every file with the source date, so another index of the same size has the same time. A
     * file the manifest does not vouch for is downloaded.
     */
    private static boolean sameContent(Path root, String rel, Tree.Node mine, Tree.Node theirs, Manifest manifest) throws IOException {
        Manifest.Entry known = manifest.valid(rel, theirs);
        if (known == null || mine.size() != theirs.size()) {
            return false;
        }
        return (!known.local().isEmpty() && known.local().equals(mine.stamp())) || sha256(root.resolve(rel)).equals(known.sha256());
    }

    /**
     * The other direction: makes {@code localRoot} equal to {@code target} — what a release on a
     * fresh machine does before changing a published repository, so that what is already there
     * (older packages, the index state) is kept and not deleted by the next {@link #sync}. Files
     * the server's manifest shows to be equal already are not downloaded; each other one arrives
     * in a file of {@code staging}, moved into place once whole; local entries the remote lacks are deleted.
     *
     * @return how many files were downloaded
     */
    public int fetch(Path localRoot, SftpTarget target, SshAuth auth, SyncOptions options, Staging staging) throws IOException {
        Path root = java.nio.file.Files.createDirectories(localRoot).toAbsolutePath().normalize();
        try (Connections connections = new Connections(target, auth, options)) {
            RemoteFs fs = connections.take();
            try {
                if (fs.lstat(target.path()).isEmpty()) {
                    return 0; // nothing published yet
                }
                Tree remote = Tree.scanRemote(fs, target.path());
                Tree local = Tree.scanLocal(root);
                Manifest manifest = fs.read(target.path() + "/" + Tree.MANIFEST).map(Manifest::parse).orElse(Manifest.empty());
                int downloaded = 0;
                for (var e : remote.nodes().entrySet()) {
                    String rel = e.getKey();
                    Tree.Node node = e.getValue();
                    if (Tree.reserved(rel)) {
                        continue;
                    }
                    Path to = root.resolve(rel);
                    Tree.Node mine = local.nodes().get(rel);
                    switch (node.kind()) {
                        case DIRECTORY -> {
                            if (mine != null && mine.kind() != RemoteFs.Kind.DIRECTORY) {
                                java.nio.file.Files.delete(to);
                            }
                            java.nio.file.Files.createDirectories(to);
                        }
                        case LINK -> {
                            if (mine == null || !node.equals(mine)) {
                                Path temp = staging.name(root, to.getFileName().toString());
                                java.nio.file.Files.createSymbolicLink(temp, Path.of(node.linkTarget()));
                                Staging.move(temp, to);
                            }
                        }
                        case FILE -> {
                            if (mine != null && mine.kind() == RemoteFs.Kind.FILE && sameContent(root, rel, mine, node, manifest)) {
                                continue;
                            }
                            java.nio.file.Files.createDirectories(to.getParent());
                            Path temp = staging.file(root, to.getFileName().toString());
                            try {
                                try (var out = new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(temp), 1 << 16)) {
                                    fs.download(target.path() + "/" + rel, out);
                                }
                                java.nio.file.Files.setLastModifiedTime(temp, java.nio.file.attribute.FileTime.fromMillis(node.mtimeMillis()));
                                if (mine != null && mine.kind() == RemoteFs.Kind.DIRECTORY) {
                                    FileTrees.delete(to);
                                }
                                Staging.move(temp, to);
                            } finally {
                                java.nio.file.Files.deleteIfExists(temp);
                            }
                            downloaded++;
                        }
                        default -> { }
                    }
                }
                for (String rel : local.nodes().descendingKeySet()) { // children before their directories
                    if (!remote.nodes().containsKey(rel) && !Tree.reserved(rel)) {
                        FileTrees.delete(root.resolve(rel));
                    }
                }
                return downloaded;
            } finally {
                connections.give(fs);
            }
        }
    }

    /** {@code mkdir -p}. */
    private static void mkdirs(RemoteFs fs, String path) throws IOException {
        StringBuilder at = new StringBuilder(path.startsWith("/") ? "" : ".");
        for (String part : path.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            at.append('/').append(part);
            String p = at.toString().startsWith("./") ? at.substring(2) : at.toString();
            if (fs.lstat(p).isEmpty()) {
                try {
                    fs.mkdir(p);
                } catch (IOException e) {
                    // another publication (the apt and the yum repository of one release, side by
                    // side) made it between our look and our mkdir: that is what we wanted
                    if (fs.lstat(p).filter(entry -> entry.kind() == RemoteFs.Kind.DIRECTORY).isEmpty()) {
                        throw e;
                    }
                }
            }
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), md)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One sync's execution of its plan. */
    private static final class Run {
        /** Write the manifest after this many uploads or bytes, so a crash loses little. */
        private static final int CHECKPOINT_FILES = 500;
        private static final long CHECKPOINT_BYTES = 512L << 20;

        private final Path localRoot;
        private final SftpTarget target;
        private final Tree local;
        private final SyncPlan plan;
        private final Connections connections;
        private final String runId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        private final AtomicInteger tempCounter = new AtomicInteger();
        private final Map<String, Manifest.Entry> known = new ConcurrentHashMap<>();
        private final List<String> changes = java.util.Collections.synchronizedList(new ArrayList<>());
        private final List<String> displaced = java.util.Collections.synchronizedList(new ArrayList<>());
        private final AtomicLong bytes = new AtomicLong();
        private final AtomicInteger deleted = new AtomicInteger();
        private final Object checkpointLock = new Object();
        private int filesSinceCheckpoint;
        private long bytesSinceCheckpoint;

        Run(Path localRoot, SftpTarget target, Tree local, SyncPlan plan, Connections connections) {
            this.localRoot = localRoot;
            this.target = target;
            this.local = local;
            this.plan = plan;
            this.connections = connections;
            known.putAll(plan.verified());
        }

        SyncResult dryRun() {
            List<String> out = new ArrayList<>();
            plan.clear().forEach(p -> out.add("delete " + p + " (a directory goes there)"));
            plan.mkdirs().forEach(p -> out.add("mkdir " + p));
            plan.files().forEach(p -> out.add("upload " + p));
            plan.links().forEach(l -> out.add("link " + l.path() + " -> " + l.target()));
            plan.entryPoints().forEach(p -> out.add("upload " + p));
            plan.temporaries().forEach(p -> out.add("delete " + p + " (left by an interrupted sync)"));
            plan.deleteFiles().forEach(p -> out.add("delete " + p));
            plan.deleteDirs().forEach(p -> out.add("delete " + p + "/"));
            long size = 0;
            for (String p : plan.files()) {
                size += local.nodes().get(p).size();
            }
            for (String p : plan.entryPoints()) {
                size += local.nodes().get(p).size();
            }
            return new SyncResult(plan.files().size() + plan.entryPoints().size(), plan.links().size(), plan.skipped(),
                    plan.clear().size() + plan.temporaries().size() + plan.deleteFiles().size() + plan.deleteDirs().size(),
                    size, out);
        }

        SyncResult execute(boolean delete) throws IOException {
            try {
                return apply();
            } catch (IOException | RuntimeException e) {
                // record what was completed, so the next sync does not send it again (best effort:
                // after a lost connection this fails too, and the next sync re-sends those files)
                if (!known.equals(plan.verified())) {
                    try {
                        connections.withOne(this::writeManifest);
                    } catch (IOException | RuntimeException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw e;
            }
        }

        private SyncResult apply() throws IOException {
            // 1. directories, then every new or changed file but the entry points, in parallel
            connections.withOne(fs -> {
                for (String p : plan.clear()) {
                    fs.remove(remote(p));
                    changes.add("delete " + p + " (a directory goes there)");
                    deleted.incrementAndGet();
                }
                for (String p : plan.mkdirs()) {
                    fs.mkdir(remote(p));
                    changes.add("mkdir " + p);
                }
                if (!fs.atomicRename() && !plan.files().isEmpty()) {
                    changes.add("warning: " + target.host() + " lacks " + JschRemoteFs.POSIX_RENAME
                            + ": files are replaced by delete and rename, not atomically");
                }
            });
            connections.parallel(plan.files(), this::upload);
            if (!plan.files().isEmpty()) {
                connections.withOne(this::writeManifest);
            }
            // 2. links: a new generation becomes visible at once
            connections.withOne(fs -> {
                for (SyncPlan.Link link : plan.links()) {
                    String tmp = temporary(link.path());
                    fs.symlink(link.target(), tmp);
                    replace(fs, tmp, link.path());
                    changes.add("link " + link.path() + " -> " + link.target());
                }
                // 3. entry points, signature before what it signs
                for (String p : plan.entryPoints()) {
                    upload(fs, p);
                }
            });
            // 4. what the local tree no longer has, once nothing published names it
            for (String p : plan.temporaries()) {
                connections.withOne(fs -> removeRecursively(fs, remote(p)));
                changes.add("delete " + p + " (left by an interrupted sync)");
            }
            connections.parallel(plan.deleteFiles(), (fs, p) -> {
                fs.remove(remote(p));
                changes.add("delete " + p);
                deleted.incrementAndGet();
            });
            connections.withOne(fs -> {
                for (String p : plan.deleteDirs()) {
                    fs.rmdir(remote(p));
                    changes.add("delete " + p + "/");
                    deleted.incrementAndGet();
                }
                for (String p : displaced) {
                    removeRecursively(fs, p);
                }
                writeManifest(fs);
            });
            int uploaded = plan.files().size() + plan.entryPoints().size();
            return new SyncResult(uploaded, plan.links().size(), plan.skipped(), deleted.get(), bytes.get(), changes);
        }

        /** Uploads a file to a temporary name beside it, checks its size, then renames it over the target. */
        private void upload(RemoteFs fs, String rel) throws IOException {
            Path file = localRoot.resolve(rel);
            java.nio.file.attribute.BasicFileAttributes attrs = Files.readAttributes(file,
                    java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            long localMillis = attrs.lastModifiedTime().toMillis();
            String stamp = Tree.stamp(file, attrs);
            String tmp = temporary(rel);
            MessageDigest md = sha256();
            long sent;
            try (InputStream in = new DigestInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), md)) {
                sent = fs.upload(in, tmp);
                fs.setMtime(tmp, Math.floorDiv(localMillis, 1000));
                RemoteFs.Entry written = fs.lstat(tmp).orElseThrow(() -> new SyncException(Reason.OTHER,
                        target + ": " + tmp + " vanished right after it was written"));
                if (written.size() != sent) {
                    throw new SyncException(Reason.WRITE_FAILED, target + ": " + tmp + " has " + written.size()
                            + " bytes after " + sent + " were sent (a full disk?)");
                }
                replace(fs, tmp, rel);
                known.put(rel, new Manifest.Entry(sent, written.mtimeSeconds(), HexFormat.of().formatHex(md.digest()), stamp));
            } catch (IOException | RuntimeException e) {
                try {
                    fs.remove(tmp); // best effort: the next sync deletes it otherwise
                } catch (IOException | RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            bytes.addAndGet(sent);
            changes.add("upload " + rel);
            checkpoint(fs, sent);
        }

        /** Renames {@code tmp} over {@code rel}, first moving aside a directory that stands there. */
        private void replace(RemoteFs fs, String tmp, String rel) throws IOException {
            if (plan.displace().contains(rel)) {
                Optional<RemoteFs.Entry> there = fs.lstat(remote(rel));
                if (there.isPresent() && there.get().kind() == RemoteFs.Kind.DIRECTORY) {
                    String aside = temporary(rel);
                    fs.rename(remote(rel), aside);
                    displaced.add(aside);
                }
            }
            fs.rename(tmp, remote(rel));
        }

        private void checkpoint(RemoteFs fs, long sent) throws IOException {
            boolean due;
            synchronized (checkpointLock) {
                filesSinceCheckpoint++;
                bytesSinceCheckpoint += sent;
                due = filesSinceCheckpoint >= CHECKPOINT_FILES || bytesSinceCheckpoint >= CHECKPOINT_BYTES;
                if (due) {
                    filesSinceCheckpoint = 0;
                    bytesSinceCheckpoint = 0;
                }
            }
            if (due) {
                writeManifest(fs);
            }
        }

        /** The manifest: entries for the local files known to be on the remote as recorded. */
        private void writeManifest(RemoteFs fs) throws IOException {
            Map<String, Manifest.Entry> entries = new java.util.TreeMap<>();
            known.forEach((rel, e) -> {
                if (local.nodes().containsKey(rel)) {
                    entries.put(rel, e);
                }
            });
            byte[] json;
            synchronized (checkpointLock) {
                json = new Manifest(entries).toJson();
            }
            String tmp = temporary(Tree.MANIFEST);
            fs.upload(new java.io.ByteArrayInputStream(json), tmp);
            fs.rename(tmp, remote(Tree.MANIFEST));
        }

        private void removeRecursively(RemoteFs fs, String path) throws IOException {
            Optional<RemoteFs.Entry> e = fs.lstat(path);
            if (e.isEmpty()) {
                return;
            }
            if (e.get().kind() == RemoteFs.Kind.DIRECTORY) {
                for (RemoteFs.Entry child : fs.list(path)) {
                    removeRecursively(fs, path + "/" + child.name());
                }
                fs.rmdir(path);
            } else {
                fs.remove(path);
            }
            deleted.incrementAndGet();
        }

        private String remote(String rel) {
            return target.path() + "/" + rel;
        }

        /** A recognisable temporary name in the directory of {@code rel}. */
        private String temporary(String rel) {
            String dir = rel.contains("/") ? rel.substring(0, rel.lastIndexOf('/') + 1) : "";
            return target.path() + "/" + dir + Tree.TEMP_PREFIX + runId + "-" + tempCounter.incrementAndGet();
        }
    }

    /** A remote operation on one connection. */
    @FunctionalInterface
    interface Work<T> {
        void run(RemoteFs fs, T item) throws IOException;
    }

    @FunctionalInterface
    interface Step {
        void run(RemoteFs fs) throws IOException;
    }

    /** Up to {@code options.connections()} connections, opened when first needed; a broken one is closed, not reused. */
    private final class Connections implements AutoCloseable {
        private final SftpTarget target;
        private final SshAuth auth;
        private final SyncOptions options;
        private final LinkedBlockingDeque<RemoteFs> idle = new LinkedBlockingDeque<>();
        private final List<RemoteFs> all = java.util.Collections.synchronizedList(new ArrayList<>());
        private final ExecutorService workers;

        Connections(SftpTarget target, SshAuth auth, SyncOptions options) {
            this.target = target;
            this.auth = auth;
            this.options = options;
            this.workers = Executors.newFixedThreadPool(options.connections(), r -> {
                Thread t = new Thread(r, "cutter-sftp-" + target.host());
                t.setDaemon(true);
                return t;
            });
        }

        RemoteFs take() throws IOException {
            RemoteFs fs = idle.pollFirst();
            if (fs != null) {
                return fs;
            }
            fs = connector.connect(target, auth, options);
            all.add(fs);
            return fs;
        }

        void give(RemoteFs fs) {
            idle.addFirst(fs);
        }

        void discard(RemoteFs fs) {
            all.remove(fs);
            try {
                fs.close();
            } catch (IOException | RuntimeException ignored) {
                // already broken
            }
        }

        void withOne(Step step) throws IOException {
            RemoteFs fs = take();
            try {
                step.run(fs);
            } catch (IOException | RuntimeException e) {
                discard(fs);
                throw e;
            }
            give(fs);
        }

        /** Runs {@code work} on every item over the connections; the first failure stops what has not started. */
        <T> void parallel(List<T> items, Work<T> work) throws IOException {
            if (items.isEmpty()) {
                return;
            }
            AtomicBoolean failed = new AtomicBoolean();
            List<Future<?>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(workers.submit(() -> {
                    if (failed.get()) {
                        return null;
                    }
                    try {
                        withOne(fs -> work.run(fs, item));
                    } catch (IOException | RuntimeException e) {
                        failed.set(true);
                        throw e;
                    }
                    return null;
                }));
            }
            IOException first = null;
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (first == null) {
                        first = cause instanceof IOException io ? io : new IOException(target + ": " + cause, cause);
                    } else if (first != cause) {
                        first.addSuppressed(cause);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("sync to " + target + " interrupted");
                }
            }
            if (first != null) {
                throw first;
            }
        }

        @Override
        public void close() {
            workers.shutdownNow();
            List<RemoteFs> open;
            synchronized (all) {
                open = new ArrayList<>(all);
            }
            for (RemoteFs fs : open) {
                try {
                    fs.close();
                } catch (IOException | RuntimeException ignored) {
                    // closing
                }
            }
        }
    }
}
