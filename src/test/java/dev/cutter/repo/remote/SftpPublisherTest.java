package dev.cutter.repo.remote;

import dev.cutter.testing.Sshd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SftpPublisherTest {
    static Sshd sshd;

    @TempDir
    static Path serverDir;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startSshd() throws Exception {
        sshd = Sshd.start(serverDir.resolve("sshd"));
    }

    @AfterAll
    static void stopSshd() throws Exception {
        if (sshd != null) {
            sshd.close();
        }
    }

    private final SftpPublisher publisher = new SftpPublisher();

    /** A small apt- and yum-like tree: files, nested directories, an empty one, a link to a generation. */
    Path sampleTree() throws IOException {
        Path local = Files.createDirectories(tmp.resolve("local"));
        write(local, "pool/main/h/hello/hello_1.0_amd64.deb", bytes(300_000, 1));
        write(local, "pool/main/h/hello/hello_0.9_amd64.deb", bytes(200_000, 2));
        write(local, "dists/.generations/stable/1/InRelease", "generation 1\n".getBytes(StandardCharsets.UTF_8));
        write(local, "dists/.generations/stable/1/main/binary-amd64/Packages", "Filename: pool/...\n".getBytes(StandardCharsets.UTF_8));
        write(local, "dists/.generations/stable/2/InRelease", "generation 2\n".getBytes(StandardCharsets.UTF_8));
        Files.createSymbolicLink(local.resolve("dists/stable"), Path.of(".generations/stable/1"));
        write(local, "repodata/aaaa-primary.xml.gz", bytes(5_000, 3));
        write(local, "repodata/repomd.xml.asc", "sig\n".getBytes(StandardCharsets.UTF_8));
        write(local, "repodata/repomd.xml", "<repomd/>\n".getBytes(StandardCharsets.UTF_8));
        write(local, "odd name + ~ [x].txt", "odd\n".getBytes(StandardCharsets.UTF_8));
        Files.createDirectories(local.resolve("empty/dir"));
        return local;
    }

    @Test
    void syncMakesTheRemoteEqualThenSendsOnlyChanges() throws Exception {
        Path local = sampleTree();
        Path remote = tmp.resolve("remote/repo");
        SyncResult first = publisher.sync(local, sshd.target(remote), sshd.auth(), SyncOptions.defaults());
        assertThat(snapshot(remote)).isEqualTo(snapshot(local));
        assertThat(first.uploaded()).isEqualTo(9);
        assertThat(first.linked()).isEqualTo(1);
        assertThat(first.deleted()).isZero();
        assertThat(first.bytes()).isEqualTo(sizeOfFiles(local));
        assertThat(Files.getLastModifiedTime(remote.resolve("repodata/repomd.xml")).toMillis() / 1000)
                .isEqualTo(Files.getLastModifiedTime(local.resolve("repodata/repomd.xml")).toMillis() / 1000);

        // change one file, remove one, re-point the link, touch another without changing it
        write(local, "repodata/repomd.xml", "<repomd revision=\"2\"/>\n".getBytes(StandardCharsets.UTF_8));
        Files.delete(local.resolve("pool/main/h/hello/hello_0.9_amd64.deb"));
        Files.delete(local.resolve("dists/stable"));
        Files.createSymbolicLink(local.resolve("dists/stable"), Path.of(".generations/stable/2"));
        Files.setLastModifiedTime(local.resolve("pool/main/h/hello/hello_1.0_amd64.deb"), FileTime.fromMillis(1_000_000_000_000L));
        SyncResult second = publisher.sync(local, sshd.target(remote), sshd.auth(), SyncOptions.defaults());
        assertThat(snapshot(remote)).isEqualTo(snapshot(local));
        assertThat(second.changes()).containsExactly(
                "link dists/stable -> .generations/stable/2",
                "upload repodata/repomd.xml",
                "delete pool/main/h/hello/hello_0.9_amd64.deb");
        assertThat(second.uploaded()).isEqualTo(1);
        assertThat(second.bytes()).isEqualTo(Files.size(local.resolve("repodata/repomd.xml")));

        SyncResult third = publisher.sync(local, sshd.target(remote), sshd.auth(), SyncOptions.defaults());
        assertThat(third.changes()).isEmpty();
        assertThat(third.uploaded()).isZero();
        assertThat(third.bytes()).isZero();
        assertThat(third.skipped()).isEqualTo(9); // 8 files and the link
    }

    /**
     * Cutter gives what it writes the source date, so a signature rewritten over another one has
     * the same size and the same time. The sync must still send it: on the server, a repomd.xml
     * whose .asc was left behind fails every client's signature check. The same holds on a fresh
     * machine, whose mirror was fetched from the server (its files carry the server's times).
     */
    @Test
    void aFileRewrittenWithOtherBytesOfTheSameSizeAndTimeIsSentAgain() throws Exception {
        Path local = sampleTree();
        Path remote = tmp.resolve("remote/repo");
        Path asc = local.resolve("repodata/repomd.xml");
        FileTime sourceDate = Files.getLastModifiedTime(asc);
        publisher.sync(local, sshd.target(remote), sshd.auth(), SyncOptions.defaults());
        byte[] before = Files.readAllBytes(asc);
        byte[] after = before.clone();
        after[0] ^= 1; // other bytes, the same length
        Files.write(asc, after);
        Files.setLastModifiedTime(asc, sourceDate);

        SyncResult second = publisher.sync(local, sshd.target(remote), sshd.auth(), SyncOptions.defaults());

        assertThat(second.changes()).containsExactly("upload repodata/repomd.xml");
        assertThat(Files.readAllBytes(remote.resolve("repodata/repomd.xml"))).isEqualTo(after);

        // another machine: its mirror fetched from the server, then the file rewritten the same way
        Path fresh = tmp.resolve("fresh-mirror");
        publisher.fetch(fresh, sshd.target(remote), sshd.auth(), SyncOptions.defaults(), dev.cutter.testing.TestStaging.in(tmp));
        Files.write(fresh.resolve("repodata/repomd.xml"), before);
        Files.setLastModifiedTime(fresh.resolve("repodata/repomd.xml"), sourceDate);
        SyncResult third = publisher.sync(fresh, sshd.target(remote), sshd.auth(), SyncOptions.defaults());
        assertThat(third.changes()).containsExactly("upload repodata/repomd.xml");
        assertThat(Files.readAllBytes(remote.resolve("repodata/repomd.xml"))).isEqualTo(before);
        // and the other way: a mirror file of the same size and time as the server's, but other bytes, is fetched again
        Files.write(fresh.resolve("repodata/repomd.xml"), after);
        Files.setLastModifiedTime(fresh.resolve("repodata/repomd.xml"), sourceDate);
        publisher.fetch(fresh, sshd.target(remote), sshd.auth(), SyncOptions.defaults(), dev.cutter.testing.TestStaging.in(tmp));
        assertThat(Files.readAllBytes(fresh.resolve("repodata/repomd.xml"))).isEqualTo(before);
    }

    @Test
    void aDryRunReportsAndChangesNothing() throws Exception {
        Path local = sampleTree();
        Path remote = tmp.resolve("remote");
        Files.createDirectories(remote.resolve("stale"));
        Files.writeString(remote.resolve("stale/old.deb"), "old");
        SyncResult planned = publisher.sync(local, sshd.target(remote), sshd.auth(), SyncOptions.defaults().withDryRun(true));
        assertThat(planned.uploaded()).isEqualTo(9);
        assertThat(planned.changes()).contains("upload repodata/repomd.xml", "link dists/stable -> .generations/stable/1",
                "delete stale/old.deb", "delete stale/");
        assertThat(snapshot(remote)).isEqualTo(Map.of("stale", "dir", "stale/old.deb", "file old"));
    }

    @Test
    void withoutDeleteTheRemoteKeepsWhatTheLocalTreeLacks() throws Exception {
        Path local = sampleTree();
        Path remote = tmp.resolve("remote");
        Files.createDirectories(remote);
        Files.writeString(remote.resolve("keep.txt"), "keep");
        SyncResult r = publisher.sync(local, sshd.target(remote), sshd.auth(), SyncOptions.defaults().withDelete(false));
        assertThat(r.deleted()).isZero();
        assertThat(remote.resolve("keep.txt")).hasContent("keep");
    }

    @Test
    void typeChangesAreApplied() throws Exception {
        Path local = Files.createDirectories(tmp.resolve("local"));
        Path remote = Files.createDirectories(tmp.resolve("remote"));
        // remote: a directory where a file goes, a file where a directory goes, a file where a link goes
        write(remote, "was-dir/inner.txt", "x".getBytes(StandardCharsets.UTF_8));
        write(remote, "was-file", "x".getBytes(StandardCharsets.UTF_8));
        write(remote, "was-file-now-link", "x".getBytes(StandardCharsets.UTF_8));
        write(local, "was-dir", "now a file".getBytes(StandardCharsets.UTF_8));
        write(local, "was-file/inner.txt", "now a directory".getBytes(StandardCharsets.UTF_8));
        Files.createSymbolicLink(local.resolve("was-file-now-link"), Path.of("was-dir"));
        publisher.sync(local, sshd.target(remote), sshd.auth(), SyncOptions.defaults());
        assertThat(snapshot(remote)).isEqualTo(snapshot(local));
    }

    @Test
    void aParentMadeBySomeoneElseBetweenLookAndMkdirIsFine() throws Exception {
        Path local = sampleTree();
        Path parent = tmp.resolve("server");
        Path remote = parent.resolve("apt");
        // the sibling publication (the yum repository of the same release) creates the parent
        // right after this one saw it missing: its mkdir then fails on a directory that exists
        SftpPublisher racing = new SftpPublisher((t, a, o) -> new Hooked(JschRemoteFs.connect(t, a, o)) {
            @Override
            public void mkdir(String path) throws IOException {
                if (path.equals(parent.toString())) {
                    Files.createDirectories(parent);
                }
                super.mkdir(path);
            }
        });

        racing.sync(local, sshd.target(remote), sshd.auth(), SyncOptions.defaults());

        assertThat(snapshot(remote)).isEqualTo(snapshot(local));
    }

    @Test
    void anInterruptedSyncConvergesAndLeavesNoTemporaryFiles() throws Exception {
        Path local = sampleTree();
        Path remote = tmp.resolve("remote");
        // fail after the second rename: some files are in place, the link and entry points are not
        AtomicInteger renames = new AtomicInteger();
        SftpPublisher failing = new SftpPublisher((t, a, o) -> new Hooked(JschRemoteFs.connect(t, a, o)) {
            @Override
            public void rename(String from, String to) throws IOException {
                if (renames.incrementAndGet() == 3) {
                    throw new SyncException(SyncException.Reason.CONNECTION, "test: connection lost before " + to);
                }
                super.rename(from, to);
            }
        });
        assertThatThrownBy(() -> failing.sync(local, sshd.target(remote), sshd.auth(), SyncOptions.defaults().withConnections(1)))
                .isInstanceOf(SyncException.class).hasMessageContaining("connection lost");
        assertThat(remote.resolve("repodata/repomd.xml")).doesNotExist(); // entry points go last
        assertThat(remote.resolve("dists/stable")).doesNotExist();

        SyncResult after = publisher.sync(local, sshd.target(remote), sshd.auth(), SyncOptions.defaults());
        assertThat(snapshot(remote)).isEqualTo(snapshot(local));
        assertThat(after.uploaded()).isLessThan(9); // the files the first run completed are not sent again
        assertThat(temporaries(remote)).isEmpty();
    }

    @Test
    void aConnectionKilledMidUploadLeavesATemporaryFileTheNextSyncDeletes() throws Exception {
        Path local = Files.createDirectories(tmp.resolve("local"));
        write(local, "big.bin", bytes(8 << 20, 7));
        write(local, "small.txt", "small".getBytes(StandardCharsets.UTF_8));
        Path remote = tmp.resolve("remote");
        SftpPublisher killing = new SftpPublisher((t, a, o) -> new Hooked(JschRemoteFs.connect(t, a, o)) {
            @Override
            public long upload(InputStream in, String path) throws IOException {
                return super.upload(new java.io.FilterInputStream(in) {
                    long read;

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        int n = super.read(b, off, len);
                        read += Math.max(n, 0);
                        if (read > (2 << 20)) {
                            sshd.dropConnections(); // a network reset in the middle of the big file
                        }
                        return n;
                    }
                }, path);
            }
        });
        assertThatThrownBy(() -> killing.sync(local, sshd.target(remote), sshd.auth(),
                SyncOptions.defaults().withConnections(1).withTimeout(java.time.Duration.ofSeconds(10))))
                .isInstanceOf(SyncException.class)
                .satisfies(e -> assertThat(((SyncException) e).reason()).isEqualTo(SyncException.Reason.CONNECTION))
                .hasMessageContaining("127.0.0.1");
        assertThat(remote.resolve("big.bin")).doesNotExist();
        assertThat(temporaries(remote)).isNotEmpty(); // a partial upload under a temporary name

        SyncResult after = publisher.sync(local, sshd.target(remote), sshd.auth(), SyncOptions.defaults());
        assertThat(snapshot(remote)).isEqualTo(snapshot(local));
        assertThat(temporaries(remote)).isEmpty();
        assertThat(after.changes()).anyMatch(c -> c.startsWith("delete .cutter-tmp-") && c.endsWith("(left by an interrupted sync)"));
    }

    @Test
    void entryPointsAreRenamedIntoPlaceAfterEverythingTheyName() throws Exception {
        Path local = sampleTree();
        Path remote = tmp.resolve("remote-order");
        try (Sshd sshd = Sshd.start(tmp.resolve("logging-sshd"), true)) {
            entryPointsLast(local, remote, sshd);
        }
    }

    private void entryPointsLast(Path local, Path remote, Sshd sshd) throws Exception {
        publisher.sync(local, sshd.target(remote), sshd.auth(), SyncOptions.defaults());
        // the next release: a new package, a new generation, new repodata; the old ones go
        write(local, "pool/main/h/hello/hello_2.0_amd64.deb", bytes(100_000, 9));
        write(local, "dists/.generations/stable/3/InRelease", "generation 3\n".getBytes(StandardCharsets.UTF_8));
        write(local, "dists/.generations/stable/3/main/binary-amd64/Packages", "Filename: 2.0\n".getBytes(StandardCharsets.UTF_8));
        Files.delete(local.resolve("dists/stable"));
        Files.createSymbolicLink(local.resolve("dists/stable"), Path.of(".generations/stable/3"));
        deleteTree(local.resolve("dists/.generations/stable/1"));
        Files.delete(local.resolve("repodata/aaaa-primary.xml.gz"));
        write(local, "repodata/bbbb-primary.xml.gz", bytes(6_000, 4));
        write(local, "repodata/repomd.xml.asc", "sig 2\n".getBytes(StandardCharsets.UTF_8));
        write(local, "repodata/repomd.xml", "<repomd revision=\"3\"/>\n".getBytes(StandardCharsets.UTF_8));
        long logStart = Files.size(sshd.log);
        publisher.sync(local, sshd.target(remote), sshd.auth(), SyncOptions.defaults());
        assertThat(snapshot(remote)).isEqualTo(snapshot(local));

        List<String> ops = SftpLog.operations(sshd.log, logStart, remote.toString());
        int link = SftpLog.indexOf(ops, "rename dists/stable");
        int repomd = SftpLog.indexOf(ops, "rename repodata/repomd.xml");
        int signature = SftpLog.indexOf(ops, "rename repodata/repomd.xml.asc");
        assertThat(SftpLog.indexOf(ops, "symlink dists/.cutter-tmp-")).isLessThan(link);
        assertThat(SftpLog.indexOf(ops, "rename dists/.generations/stable/3/InRelease")).isLessThan(link);
        assertThat(SftpLog.indexOf(ops, "rename dists/.generations/stable/3/main/binary-amd64/Packages")).isLessThan(link);
        assertThat(SftpLog.indexOf(ops, "rename pool/main/h/hello/hello_2.0_amd64.deb")).isLessThan(link).isLessThan(signature);
        assertThat(SftpLog.indexOf(ops, "rename repodata/bbbb-primary.xml.gz")).isLessThan(signature);
        assertThat(signature).isLessThan(repomd);
        // deletions only after the entry points and the link switched
        assertThat(SftpLog.indexOf(ops, "remove repodata/aaaa-primary.xml.gz")).isGreaterThan(repomd);
        assertThat(SftpLog.indexOf(ops, "remove dists/.generations/stable/1/InRelease")).isGreaterThan(link);
        assertThat(SftpLog.indexOf(ops, "rmdir dists/.generations/stable/1")).isGreaterThan(
                SftpLog.indexOf(ops, "rmdir dists/.generations/stable/1/main"));
        // every rename was the atomic one
        assertThat(ops).filteredOn(o -> o.startsWith("rename ")).allMatch(o -> o.contains("(posix)"));
    }

    @Test
    void parallelConnectionsGiveTheSameResult() throws Exception {
        Path local = Files.createDirectories(tmp.resolve("local"));
        for (int i = 0; i < 60; i++) {
            write(local, "pool/p" + (i % 7) + "/f" + i + ".deb", bytes(1_000 + i * 97, i));
        }
        for (int n : new int[] {1, 4}) {
            Path remote = tmp.resolve("remote-" + n);
            SyncResult r = publisher.sync(local, sshd.target(remote), sshd.auth(), SyncOptions.defaults().withConnections(n));
            assertThat(r.uploaded()).isEqualTo(60);
            assertThat(snapshot(remote)).isEqualTo(snapshot(local));
        }
    }

    // ---- authentication and host keys

    @Test
    void anUnknownHostKeyIsRefusedNamingItsFingerprint() throws Exception {
        Path local = sampleTree();
        Path empty = Files.writeString(tmp.resolve("known_hosts"), "");
        SshAuth auth = sshd.auth().trusting(SshAuth.HostKeys.knownHosts(empty));
        assertThatThrownBy(() -> publisher.sync(local, sshd.target(tmp.resolve("r")), auth, SyncOptions.defaults()))
                .isInstanceOf(SyncException.class)
                .satisfies(e -> assertThat(((SyncException) e).reason()).isEqualTo(SyncException.Reason.HOST_KEY))
                .hasMessageContaining("unknown host key of [127.0.0.1]:" + sshd.port)
                .hasMessageContaining("ssh-ed25519 " + sshd.fingerprint());
        assertThat(tmp.resolve("r")).doesNotExist();
        assertThat(empty).isEmptyFile(); // never added

        SshAuth wrongPin = sshd.auth().trusting(SshAuth.HostKeys.fingerprint("SHA256:" + "A".repeat(43)));
        assertThatThrownBy(() -> publisher.sync(local, sshd.target(tmp.resolve("r")), wrongPin, SyncOptions.defaults()))
                .hasMessageContaining(sshd.fingerprint());

        SshAuth pinned = sshd.auth().trusting(SshAuth.HostKeys.fingerprint(sshd.fingerprint()));
        publisher.sync(local, sshd.target(tmp.resolve("r")), pinned, SyncOptions.defaults());
        assertThat(snapshot(tmp.resolve("r"))).isEqualTo(snapshot(local));
    }

    @Test
    void aChangedHostKeyIsRefused() throws Exception {
        Path other = tmp.resolve("other_host");
        Sshd.keygen(other, "ed25519", List.of());
        String[] pub = Files.readString(tmp.resolve("other_host.pub")).split(" ");
        Path knownHosts = Files.writeString(tmp.resolve("known_hosts"), "[127.0.0.1]:" + sshd.port + " " + pub[0] + " " + pub[1] + "\n");
        assertThatThrownBy(() -> publisher.sync(sampleTree(), sshd.target(tmp.resolve("r")),
                sshd.auth().trusting(SshAuth.HostKeys.knownHosts(knownHosts)), SyncOptions.defaults()))
                .hasMessageContaining("CHANGED host key").hasMessageContaining(sshd.fingerprint());
    }

    @Test
    void aKeyTheServerDoesNotKnowIsRefused() throws Exception {
        Path stranger = tmp.resolve("stranger");
        Sshd.keygen(stranger, "ed25519", List.of());
        SshAuth auth = SshAuth.key(Files.readString(stranger)).trusting(SshAuth.HostKeys.knownHosts(sshd.knownHosts));
        assertThatThrownBy(() -> publisher.sync(sampleTree(), sshd.target(tmp.resolve("r")), auth, SyncOptions.defaults()))
                .isInstanceOf(SyncException.class)
                .satisfies(e -> assertThat(((SyncException) e).reason()).isEqualTo(SyncException.Reason.AUTH))
                .hasMessageContaining("sftp://" + System.getProperty("user.name") + "@127.0.0.1:" + sshd.port)
                .hasMessageContaining("authentication as '" + System.getProperty("user.name") + "' failed");
    }

    @Test
    void anEncryptedPemRsaKeyWorksWithItsPassphrase() throws Exception {
        Path rsa = tmp.resolve("rsa");
        Sshd.keygen(rsa, "rsa", List.of("-b", "2048", "-m", "PEM", "-N", "s3cret"));
        Files.writeString(sshd.dir.resolve("authorized_keys"), Files.readString(tmp.resolve("rsa.pub")),
                java.nio.file.StandardOpenOption.APPEND);
        SshAuth auth = SshAuth.key(Files.readString(rsa)).trusting(SshAuth.HostKeys.knownHosts(sshd.knownHosts));
        assertThatThrownBy(() -> publisher.sync(sampleTree(), sshd.target(tmp.resolve("r")), auth, SyncOptions.defaults()))
                .hasMessageContaining("passphrase");
        publisher.sync(tmp.resolve("local"), sshd.target(tmp.resolve("r")), auth.withPassphrase("s3cret"), SyncOptions.defaults());
        assertThat(snapshot(tmp.resolve("r"))).isEqualTo(snapshot(tmp.resolve("local")));
        assertThat(auth.withPassphrase("s3cret").toString()).doesNotContain("s3cret").doesNotContain("PRIVATE");
    }

    @Test
    void permissionDeniedNamesHostAndPath() throws Exception {
        // root ignores permissions: a read-only bind of the remote is not available, so use a path under a file
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        assertThatThrownBy(() -> publisher.sync(sampleTree(), sshd.target(file.resolve("repo")), sshd.auth(), SyncOptions.defaults()))
                .isInstanceOf(SyncException.class).hasMessageContaining("127.0.0.1:" + file.resolve("repo"));
    }

    // ---- helpers

    /** Every entry by relative path: "dir", "link TARGET" or "file CONTENT-OR-SHA"; the sync's manifest left out. */
    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(p -> !p.equals(root)).toList()) {
                String rel = Tree.rel(root, p);
                if (rel.equals(Tree.MANIFEST)) {
                    continue;
                }
                if (Files.isSymbolicLink(p)) {
                    out.put(rel, "link " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(rel, "dir");
                } else {
                    out.put(rel, Files.size(p) < 64 ? "file " + Files.readString(p) : "file sha256 " + SftpPublisher.sha256(p));
                }
            }
        }
        return out;
    }

    static List<String> temporaries(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.getFileName().toString().startsWith(Tree.TEMP_PREFIX)).map(Path::toString).toList();
        }
    }

    static long sizeOfFiles(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    static void write(Path root, String rel, byte[] content) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.write(p, content);
    }

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** A RemoteFs that forwards everything: tests override what they break. */
    static class Hooked implements RemoteFs {
        final RemoteFs fs;

        Hooked(RemoteFs fs) {
            this.fs = fs;
        }

        @Override
        public List<Entry> list(String dir) throws IOException {
            return fs.list(dir);
        }

        @Override
        public void download(String path, java.io.OutputStream out) throws IOException {
            fs.download(path, out);
        }

        @Override
        public Optional<Entry> lstat(String path) throws IOException {
            return fs.lstat(path);
        }

        @Override
        public String readlink(String path) throws IOException {
            return fs.readlink(path);
        }

        @Override
        public Optional<byte[]> read(String path) throws IOException {
            return fs.read(path);
        }

        @Override
        public void mkdir(String path) throws IOException {
            fs.mkdir(path);
        }

        @Override
        public long upload(InputStream in, String path) throws IOException {
            return fs.upload(in, path);
        }

        @Override
        public void setMtime(String path, long epochSeconds) throws IOException {
            fs.setMtime(path, epochSeconds);
        }

        @Override
        public void rename(String from, String to) throws IOException {
            fs.rename(from, to);
        }

        @Override
        public boolean atomicRename() {
            return fs.atomicRename();
        }

        @Override
        public void symlink(String target, String link) throws IOException {
            fs.symlink(target, link);
        }

        @Override
        public void remove(String path) throws IOException {
            fs.remove(path);
        }

        @Override
        public void rmdir(String path) throws IOException {
            fs.rmdir(path);
        }

        @Override
        public void close() throws IOException {
            fs.close();
        }
    }
}
