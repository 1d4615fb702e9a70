package dev.cutter.repo.yum;

import dev.cutter.content.Confined;
import dev.cutter.content.Staging;
import dev.cutter.pkg.InvalidPackageException;
import dev.cutter.pkg.PackageExistsException;
import dev.cutter.pkg.rpm.RpmFormatException;
import dev.cutter.sign.OpenPgpVerifier;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * A yum/dnf repository in a local directory: .rpm files anywhere under the root (added ones go to
 * {@code Packages/}) and {@code repodata/} as createrepo_c writes it (primary, filelists and other,
 * gzip or zstd, checksum-prefixed names; no sqlite databases, which dnf does not read).
 *
 * <p><b>Incremental updates.</b> What was read from each package is kept in
 * {@value #INDEX_FILE} at the root (a compact binary file, written by {@link #publish}). {@link #open} trusts it, so
 * adding one package to thousands reads one package; {@link #scan} re-reads only files whose
 * size or modification time changed (as {@code createrepo_c --update} does). The metadata is
 * rendered from the index alone, so an incremental publication is byte for byte the full
 * rebuild's ({@link #rebuild}).
 *
 * <p><b>Publication.</b> Every file (an added package, a metadata file, the index) is made whole in
 * a {@link Staging} area outside the tree and moved in by one rename, so the tree never holds a
 * temporary file. {@link #publish} writes the new content-addressed metadata files, then
 * the signature {@code repomd.xml.asc}, then {@code repomd.xml}, each by atomic rename: a client
 * never sees a repomd.xml whose files are missing, and whoever reads the new repomd.xml finds its
 * signature already there. The pair cannot change in one step over plain HTTP: a client that
 * fetched the old repomd.xml just before the swap and its .asc just after gets a mismatched pair,
 * which fails verification (closed, never accepted) and succeeds on retry. Metadata files and
 * packages that the previous repomd.xml still references are deleted one publication later, so
 * clients holding it can finish.
 *
 * <p>Not thread-safe; one process should publish a repository at a time.
 */
public final class YumRepository {
    /** The index of packages read so far, relative to the root. */
    public static final String INDEX_FILE = ".cutter-yum-index";
    /** Where {@link #add} puts packages from outside the repository. */
    public static final String PACKAGES = "Packages";

    private static final Pattern CONTENT_ADDRESSED = Pattern.compile("[0-9a-f]{64}-.+");
    private static final List<String> TYPES = List.of("primary", "filelists", "other");

    /** The index file's content. */
    record Index(int format, long generation, List<YumPackage> packages, List<Retired> retired) {}

    /** A package file no longer listed since publication {@code generation}, deleted at the next one. */
    record Retired(String location, long generation) {}

    private final Path root;
    private final Staging staging;
    private final Map<String, YumPackage> packages = new TreeMap<>();
    private final Map<String, Retired> retired = new TreeMap<>();
    private long generation;

    private YumRepository(Path root, Staging staging) {
        this.root = root;
        this.staging = staging;
    }

    /**
     * Opens the repository at {@code root} (created if missing) with its index. Without an index
     * (a new directory, or one createrepo_c made) every .rpm under the root is read, as {@link #scan} does.
     * What it writes is made in {@code staging} first.
     */
    public static YumRepository open(Path root, Staging staging) throws IOException {
        YumRepository repository = new YumRepository(Files.createDirectories(root).toAbsolutePath().normalize(), staging);
        Path index = repository.root.resolve(INDEX_FILE);
        if (Files.exists(index)) {
            Index state;
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(index), 1 << 16))) {
                state = IndexCodec.read(in, index.toString());
            } catch (IOException e) {
                throw new IOException(index + " is not a readable Cutter yum index (" + e.getMessage()
                        + "); delete it to re-read every package", e);
            }
            repository.generation = state.generation();
            state.packages().forEach(p -> repository.packages.put(p.location(), p));
            state.retired().forEach(r -> repository.retired.put(r.location(), r));
        } else {
            repository.scan();
        }
        return repository;
    }

    /** Opens the repository ignoring its index: every .rpm under the root is read again. */
    public static YumRepository rebuild(Path root, Staging staging) throws IOException {
        YumRepository repository = new YumRepository(Files.createDirectories(root).toAbsolutePath().normalize(), staging);
        Path index = repository.root.resolve(INDEX_FILE);
        if (Files.exists(index)) {
            // keep the publication count and the pending deletions, nothing read from packages
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(index), 1 << 16))) {
                Index state = IndexCodec.read(in, index.toString());
                repository.generation = state.generation();
                state.retired().forEach(r -> repository.retired.put(r.location(), r));
            } catch (IOException e) {
                // an unreadable index is rebuilt anyway
            }
        }
        repository.scan();
        return repository;
    }

    /**
     * Full index of a directory of packages and publication: what {@code createrepo_c root} does.
     * For benchmarks and {@code cutter repo index}.
     */
    public static YumPublication index(Path root, YumPublishOptions options, Staging staging) throws IOException {
        return rebuild(root, staging).publish(options);
    }

    /**
     * Incremental: adds {@code rpms} to the indexed repository at {@code root} and publishes, reading
     * no other package. What {@code createrepo_c --update} does after copying them in.
     */
    public static YumPublication addAndPublish(Path root, List<Path> rpms, YumPublishOptions options, Staging staging)
            throws IOException {
        YumRepository repository = open(root, staging);
        repository.add(rpms);
        return repository.publish(options);
    }

    public Path root() {
        return root;
    }

    /** The indexed packages, ordered by name, architecture, version (oldest first) and location. */
    public List<YumPackage> list() {
        List<YumPackage> list = new ArrayList<>(packages.values());
        list.sort(ORDER);
        return list;
    }

    private static final Comparator<YumPackage> ORDER = Comparator.comparing(YumPackage::name)
            .thenComparing(YumPackage::arch).thenComparing(YumPackage::evr).thenComparing(YumPackage::location);

    /**
     * Brings the index in line with the files under the root: reads new and changed .rpm files
     * (size or mtime differ) in parallel, forgets vanished ones. {@code repodata/} and hidden
     * directories are not searched. Returns the packages read.
     */
    public List<YumPackage> scan() throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(p -> p.getFileName().toString().endsWith(".rpm"))
                    .filter(p -> !hiddenOrRepodata(root.relativize(p)))
                    .filter(Files::isRegularFile)
                    .forEach(found::add);
        }
        Map<String, Path> byLocation = new TreeMap<>();
        for (Path p : found) {
            byLocation.put(location(p), p);
        }
        packages.keySet().retainAll(byLocation.keySet());
        List<Path> toRead = new ArrayList<>();
        for (Map.Entry<String, Path> e : byLocation.entrySet()) {
            YumPackage known = packages.get(e.getKey());
            if (known != null) {
                BasicFileAttributes attributes = Files.readAttributes(e.getValue(), BasicFileAttributes.class);
                if (attributes.size() == known.packageSize()
                        && attributes.lastModifiedTime().toInstant().getEpochSecond() == known.fileTime()) {
                    continue;
                }
            }
            toRead.add(e.getValue());
        }
        List<YumPackage> read = readAll(toRead);
        for (YumPackage p : read) {
            packages.put(p.location(), p);
            retired.remove(p.location());
        }
        return read;
    }

    private static boolean hiddenOrRepodata(Path relative) {
        for (Path part : relative) {
            String name = part.toString();
            if (name.startsWith(".") || name.equals("repodata")) {
                return true;
            }
        }
        return false;
    }

    private String location(Path file) {
        return root.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    /** Reads packages on every core: the work is hashing, and each file is read once. */
    private List<YumPackage> readAll(List<Path> files) throws IOException {
        if (files.isEmpty()) {
            return List.of();
        }
        int threads = Math.min(files.size(), Runtime.getRuntime().availableProcessors());
        if (threads <= 1) {
            List<YumPackage> result = new ArrayList<>();
            for (Path file : files) {
                result.add(readInPlace(file));
            }
            return result;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "yum-index");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<YumPackage>> futures = new ArrayList<>(files.size());
            for (Path file : files) {
                futures.add(pool.submit(() -> readInPlace(file)));
            }
            List<YumPackage> result = new ArrayList<>(files.size());
            for (Future<YumPackage> future : futures) {
                result.add(future.get());
            }
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading packages", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private YumPackage readInPlace(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        // a buffer the size of a small package: thousands of 64 KiB buffers would only feed the GC
        int buffer = (int) Math.max(8192, Math.min(1 << 16, attributes.size() + 1));
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), buffer)) {
            YumPackage p = PackageReader.read(in, null, file.toString(), location(file),
                    attributes.lastModifiedTime().toInstant().getEpochSecond());
            if (p.packageSize() != attributes.size()) {
                throw new IOException(file + " changed while it was read (" + attributes.size() + " bytes, then "
                        + p.packageSize() + ")");
            }
            return p;
        }
    }

    /**
     * What {@link #add} would refuse, changing nothing: each of {@code rpms} whose place in
     * {@code Packages/} this repository already indexes with other bytes, as the refusal's message.
     */
    public List<String> conflicts(List<Path> rpms) throws IOException {
        List<String> conflicts = new ArrayList<>();
        for (Path rpm : rpms) {
            YumPackage p;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(rpm), 1 << 16)) {
                p = PackageReader.read(in, null, rpm.toString(), "", 0);
            }
            Path target;
            try {
                target = Confined.resolve(root.resolve(PACKAGES), p.fileName());
            } catch (Confined.OutsideRootException e) {
                continue; // add refuses it as invalid, not as a conflict
            }
            YumPackage known = packages.get(location(target));
            if (known != null && !known.sha256().equals(p.sha256())) {
                conflicts.add(new PackageExistsException(rpm.toString(), root + " (" + known.location() + ")", known.nevra(),
                        known.sha256(), p.sha256()).getMessage());
            }
        }
        return conflicts;
    }

    /**
     * Adds packages: one inside the root is indexed where it is; one outside is copied to
     * {@code Packages/name-version-release.arch.rpm} (read, hashed and copied in one pass). Adding
     * the same file again changes nothing; a different file at a location already indexed is
     * refused, since clients may hold the old checksum. Nothing is visible before {@link #publish}.
     *
     * @throws RpmFormatException naming the file, when one is not a binary RPM; no package is added then
     */
    public List<YumPackage> add(List<Path> rpms) throws IOException {
        List<YumPackage> read = new ArrayList<>();
        List<Path> staged = new ArrayList<>();
        try {
            for (Path rpm : rpms) {
                Path absolute = rpm.toAbsolutePath().normalize();
                if (absolute.startsWith(root)) {
                    read.add(readInPlace(absolute));
                } else {
                    read.add(copyIn(absolute, staged));
                }
            }
            for (int i = 0; i < read.size(); i++) {
                YumPackage p = read.get(i);
                YumPackage known = packages.get(p.location());
                if (known != null && !known.sha256().equals(p.sha256())) {
                    throw new PackageExistsException(rpms.get(i).toString(), root + " (" + p.location() + ")", known.nevra(),
                            known.sha256(), p.sha256());
                }
            }
            if (!staged.isEmpty()) {
                Files.createDirectories(root.resolve(PACKAGES));
            }
            for (int i = 0; i < staged.size(); i += 2) {
                Staging.move(staged.get(i), staged.get(i + 1)); // all checked before the first moves in
            }
            staged.clear();
        } finally {
            for (int i = 0; i < staged.size(); i += 2) {
                Files.deleteIfExists(staged.get(i));
            }
        }
        for (YumPackage p : read) {
            packages.put(p.location(), p);
            retired.remove(p.location());
        }
        return read;
    }

    /** Copies into a staged file while reading; records (staged, final) in {@code staged}. */
    private YumPackage copyIn(Path source, List<Path> staged) throws IOException {
        // moved into Packages/ once every package passed
        Path temporary = staging.file(root, source.getFileName().toString());
        staged.add(temporary);
        staged.add(null);
        YumPackage p;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(source), 1 << 16);
                OutputStream out = new BufferedOutputStream(Files.newOutputStream(temporary), 1 << 16)) {
            p = PackageReader.read(in, out, source.toString(), "", 0);
        }
        String name = p.fileName();
        Path target;
        try {
            target = Confined.resolve(root.resolve(PACKAGES), name);
        } catch (Confined.OutsideRootException e) { // RpmNames refused such headers already: a second wall
            throw new InvalidPackageException(source + ": its headers make the path " + PACKAGES + "/" + name
                    + ", which leads outside " + root.resolve(PACKAGES));
        }
        Instant mtime = Files.getLastModifiedTime(source).toInstant();
        Files.setLastModifiedTime(temporary, FileTime.from(mtime));
        staged.set(staged.size() - 1, target);
        YumPackage existing = packages.get(location(target));
        if (existing != null && existing.sha256().equals(p.sha256())) {
            // the same package again: keep the published file (and its mtime) as it is
            staged.remove(staged.size() - 1);
            staged.remove(staged.size() - 1);
            Files.delete(temporary);
            return existing;
        }
        return withLocation(p, location(target), mtime.getEpochSecond());
    }

    private static YumPackage withLocation(YumPackage p, String location, long fileTime) {
        return new YumPackage(p.name(), p.arch(), p.epoch(), p.version(), p.release(), location, p.sha256(),
                p.packageSize(), fileTime, p.buildTime(), p.installedSize(), p.archiveSize(), p.headerStart(),
                p.headerEnd(), p.summary(), p.description(), p.packager(), p.url(), p.license(), p.vendor(), p.group(),
                p.buildHost(), p.sourceRpm(), p.provides(), p.requires(), p.conflicts(), p.obsoletes(), p.suggests(),
                p.enhances(), p.recommends(), p.supplements(), p.files(), p.changelogs());
    }

    /**
     * Removes every package called {@code name}, or only those whose {@code [epoch:]version-release}
     * is {@code evr}. Their files are deleted one publication after the next, once no published
     * metadata lists them. Returns the packages removed.
     */
    public List<YumPackage> remove(String name, Optional<String> evr) {
        List<YumPackage> removed = new ArrayList<>();
        for (YumPackage p : list()) {
            if (p.name().equals(name) && evr.map(e -> p.evr().toString().equals(e)
                    || (p.epoch() == 0 ? "0:" + p.evr() : p.evr().toString()).equals(e)).orElse(true)) {
                removed.add(p);
                packages.remove(p.location());
                retired.put(p.location(), new Retired(p.location(), generation + 1));
            }
        }
        return removed;
    }

    /**
     * Publishes the repository: applies {@code keep}, writes primary, filelists and other, then
     * repomd.xml.asc (when signing) and repomd.xml, then saves the index and deletes what the
     * publication before the previous one still needed. See the class comment for the order.
     */
    public YumPublication publish(YumPublishOptions options) throws IOException {
        long next = generation + 1;
        List<YumPackage> dropped = applyKeep(options.keep(), next);
        List<YumPackage> listed = list();
        Path repodata = Files.createDirectories(root.resolve("repodata"));
        Path repomdFile = repodata.resolve("repomd.xml");
        Set<String> previous = new HashSet<>();
        if (Files.exists(repomdFile)) {
            try (InputStream in = Files.newInputStream(repomdFile)) {
                Repomd.parse(in, repomdFile.toString()).data().forEach(d -> previous.add(d.href()));
            }
        }

        long time = options.time().getEpochSecond();
        List<Repomd.Data> data = writeMetadata(listed, repodata, options.compression(), time);
        Repomd repomd = new Repomd(time, data);
        byte[] repomdBytes = repomd.render();

        Path ascFile = repodata.resolve("repomd.xml.asc");
        if (options.signer().isPresent()) {
            ByteArrayOutputStream signature = new ByteArrayOutputStream();
            options.signer().get().detach(new ByteArrayInputStream(repomdBytes), signature);
            replace(ascFile, signature.toByteArray(), time);
        }
        replace(repomdFile, repomdBytes, time);
        if (options.signer().isEmpty()) {
            Files.deleteIfExists(ascFile);
        }

        generation = next;
        saveIndex();

        Set<String> keep = new HashSet<>(previous);
        data.forEach(d -> keep.add(d.href()));
        try (Stream<Path> files = Files.list(repodata)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (CONTENT_ADDRESSED.matcher(name).matches() && !keep.contains("repodata/" + name)) {
                    Files.deleteIfExists(file);
                }
            }
        }
        boolean deleted = false;
        for (Retired r : List.copyOf(retired.values())) {
            if (r.generation() < generation) {
                if (!packages.containsKey(r.location())) {
                    Files.deleteIfExists(Confined.resolve(root, r.location())); // the index names it: never outside
                }
                retired.remove(r.location());
                deleted = true;
            }
        }
        if (deleted) {
            saveIndex();
        }
        return new YumPublication(time, generation, listed.size(), dropped,
                data.stream().map(Repomd.Data::href).toList());
    }

    private List<YumPackage> applyKeep(int keep, long generation) {
        if (keep == 0) {
            return List.of();
        }
        Map<String, List<YumPackage>> byNameArch = new LinkedHashMap<>();
        for (YumPackage p : list()) {
            byNameArch.computeIfAbsent(p.name() + "." + p.arch(), k -> new ArrayList<>()).add(p);
        }
        List<YumPackage> dropped = new ArrayList<>();
        for (List<YumPackage> versions : byNameArch.values()) {
            // oldest first: all but the last `keep` go
            for (int i = 0; i < versions.size() - keep; i++) {
                YumPackage p = versions.get(i);
                dropped.add(p);
                packages.remove(p.location());
                retired.put(p.location(), new Retired(p.location(), generation));
            }
        }
        return dropped;
    }

    /** Writes the three metadata files in parallel; each is streamed through its digests once. */
    private List<Repomd.Data> writeMetadata(List<YumPackage> listed, Path repodata,
            MetadataCompression compression, long time) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(TYPES.size(), r -> {
            Thread t = new Thread(r, "yum-metadata");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Repomd.Data>> futures = new ArrayList<>();
            for (String type : TYPES) {
                futures.add(pool.submit(() -> writeOne(type, listed, repodata, compression, time)));
            }
            List<Repomd.Data> data = new ArrayList<>();
            for (Future<Repomd.Data> future : futures) {
                data.add(future.get());
            }
            return data;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing metadata", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private Repomd.Data writeOne(String type, List<YumPackage> listed, Path repodata,
            MetadataCompression compression, long time) throws IOException {
        Path temporary = staging.file(root, type + ".xml" + compression.suffix);
        try {
            MessageDigest compressedDigest = sha256();
            MessageDigest openDigest = sha256();
            long[] counts = new long[2];
            try (OutputStream file = Files.newOutputStream(temporary)) {
                OutputStream counted = new CountingDigestStream(new BufferedOutputStream(file, 1 << 16),
                        compressedDigest, counts, 0);
                OutputStream open = new CountingDigestStream(compression.compress(counted), openDigest, counts, 1);
                try (Writer writer = new OutputStreamWriter(new BufferedOutputStream(open, 1 << 16),
                        StandardCharsets.UTF_8)) {
                    switch (type) {
                        case "primary" -> MetadataXml.primary(listed, writer);
                        case "filelists" -> MetadataXml.filelists(listed, writer);
                        default -> MetadataXml.other(listed, writer);
                    }
                }
            }
            String checksum = HexFormat.of().formatHex(compressedDigest.digest());
            String name = checksum + "-" + type + ".xml" + compression.suffix;
            Path target = repodata.resolve(name);
            Files.setLastModifiedTime(temporary, FileTime.fromMillis(time * 1000));
            force(temporary);
            if (!Files.exists(target)) { // named by its digest, known only once written: not Staging.write
                Staging.move(temporary, target);
            }
            return new Repomd.Data(type, checksum, HexFormat.of().formatHex(openDigest.digest()), "repodata/" + name,
                    time, counts[0], counts[1]);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Replaces {@code file} by an atomic rename of a complete, synced staged file. */
    private void replace(Path file, byte[] content, long time) throws IOException {
        staging.write(root, file, temporary -> {
            Files.write(temporary, content);
            Files.setLastModifiedTime(temporary, FileTime.fromMillis(time * 1000));
            force(temporary);
        });
    }

    private static void force(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    private void saveIndex() throws IOException {
        Index state = new Index(IndexCodec.FORMAT, generation, list(), List.copyOf(retired.values()));
        Path file = root.resolve(INDEX_FILE);
        staging.write(root, file, temporary -> {
            try (DataOutputStream out = new DataOutputStream(
                    new BufferedOutputStream(Files.newOutputStream(temporary), 1 << 16))) {
                IndexCodec.write(state, out);
            }
        });
    }

    /**
     * Checks the published repository as a client would: repomd.xml's signature (when
     * {@code publicKey} is given and repomd.xml.asc exists), each metadata file's size, checksum and
     * open checksum, and each package primary.xml lists against its size and checksum.
     */
    public YumVerification verify(Optional<Path> publicKey) throws IOException {
        List<String> problems = new ArrayList<>();
        Path repodata = root.resolve("repodata");
        Path repomdFile = repodata.resolve("repomd.xml");
        if (!Files.exists(repomdFile)) {
            return new YumVerification(0, "none", List.of(repomdFile + " is missing: the repository was never published"));
        }
        String signature = "none";
        Path asc = repodata.resolve("repomd.xml.asc");
        if (publicKey.isPresent()) {
            if (!Files.exists(asc)) {
                problems.add(asc + " is missing: repomd.xml is not signed");
            } else {
                try (InputStream key = Files.newInputStream(publicKey.get());
                        InputStream data = Files.newInputStream(repomdFile);
                        InputStream sig = Files.newInputStream(asc)) {
                    OpenPgpVerifier.Verification v = OpenPgpVerifier.verifyDetached(key, data, sig);
                    signature = v.valid() ? "good" : "bad: " + v.message();
                    if (!v.valid()) {
                        problems.add(asc + ": " + v.message());
                    }
                }
            }
        }
        Repomd repomd;
        try (InputStream in = Files.newInputStream(repomdFile)) {
            repomd = Repomd.parse(in, repomdFile.toString());
        }
        int count = 0;
        for (Repomd.Data d : repomd.data()) {
            Path file;
            try {
                file = Confined.resolve(root, d.href());
            } catch (Confined.OutsideRootException e) {
                problems.add(d.href() + " (" + d.type() + ") leads outside the repository");
                continue;
            }
            if (!Files.exists(file)) {
                problems.add(d.href() + " (" + d.type() + ") is missing");
                continue;
            }
            String[] sums = hashWithOpen(file);
            if (Files.size(file) != d.size()) {
                problems.add(d.href() + " is " + Files.size(file) + " bytes; repomd.xml says " + d.size());
            }
            if (!sums[0].equals(d.checksum())) {
                problems.add(d.href() + " has checksum " + sums[0] + "; repomd.xml says " + d.checksum());
            } else if (!d.openChecksum().isEmpty() && !sums[1].equals(d.openChecksum())) {
                problems.add(d.href() + " uncompressed has checksum " + sums[1] + "; repomd.xml says " + d.openChecksum());
            }
            if (d.type().equals("primary") && sums[0].equals(d.checksum())) {
                count = verifyPackages(file, problems);
            }
        }
        return new YumVerification(count, signature, problems);
    }

    private int verifyPackages(Path primary, List<String> problems) throws IOException {
        Map<String, String[]> listed = new HashMap<>();
        try (InputStream in = decompress(primary)) {
            XMLInputFactory factory = XMLInputFactory.newFactory();
            factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            XMLStreamReader xml = factory.createXMLStreamReader(in);
            String checksum = null;
            String size = null;
            while (xml.hasNext()) {
                if (xml.next() != XMLStreamConstants.START_ELEMENT) {
                    continue;
                }
                switch (xml.getLocalName()) {
                    case "checksum" -> checksum = xml.getElementText();
                    case "size" -> size = xml.getAttributeValue(null, "package");
                    case "location" -> listed.put(xml.getAttributeValue(null, "href"), new String[] {checksum, size});
                    default -> { }
                }
            }
        } catch (XMLStreamException e) {
            problems.add(primary + " is not readable XML: " + e.getMessage());
            return 0;
        }
        List<Map.Entry<String, String[]>> entries = new ArrayList<>(listed.entrySet());
        entries.sort(Map.Entry.comparingByKey());
        List<String> found = readAllChecksums(entries);
        for (int i = 0; i < entries.size(); i++) {
            String location = entries.get(i).getKey();
            String[] expected = entries.get(i).getValue();
            String actual = found.get(i);
            if (actual == null) {
                problems.add(location + " is listed in primary.xml but missing");
            } else if (!actual.startsWith(expected[0] + " ")) {
                problems.add(location + " has checksum " + actual.substring(0, 64) + "; primary.xml says " + expected[0]);
            } else if (!actual.endsWith(" " + expected[1])) {
                problems.add(location + " is " + actual.substring(65) + " bytes; primary.xml says " + expected[1]);
            }
        }
        return entries.size();
    }

    /** "sha256 size" of each file, or null when missing, hashed on every core. */
    private List<String> readAllChecksums(List<Map.Entry<String, String[]>> entries) throws IOException {
        int threads = Math.max(1, Math.min(entries.size(), Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (Map.Entry<String, String[]> e : entries) {
                futures.add(pool.submit(() -> {
                    Path file;
                    try {
                        file = Confined.resolve(root, e.getKey());
                    } catch (Confined.OutsideRootException outside) { // never read a file outside the repository
                        return null;
                    }
                    try (InputStream in = Files.newInputStream(file)) {
                        MessageDigest digest = sha256();
                        byte[] buffer = new byte[1 << 16];
                        long size = 0;
                        for (int n; (n = in.read(buffer)) != -1; ) {
                            digest.update(buffer, 0, n);
                            size += n;
                        }
                        return HexFormat.of().formatHex(digest.digest()) + " " + size;
                    } catch (NoSuchFileException missing) {
                        return null;
                    }
                }));
            }
            List<String> result = new ArrayList<>();
            for (Future<String> f : futures) {
                result.add(f.get());
            }
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while verifying packages", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static InputStream decompress(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        String name = file.getFileName().toString();
        if (name.endsWith(".gz")) {
            return new GZIPInputStream(raw, 1 << 16);
        }
        if (name.endsWith(".zst")) {
            return new com.github.luben.zstd.ZstdInputStream(raw);
        }
        return raw;
    }

    /** {sha256 of the file, sha256 of its decompressed content}. */
    private static String[] hashWithOpen(Path file) throws IOException {
        MessageDigest compressed = sha256();
        MessageDigest open = sha256();
        try (InputStream raw = new DigestInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16),
                compressed)) {
            String name = file.getFileName().toString();
            InputStream content = name.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16)
                    : name.endsWith(".zst") ? new com.github.luben.zstd.ZstdInputStream(raw) : raw;
            try (InputStream in = new DigestInputStream(content, open)) {
                in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                return new String[] {"(unreadable: " + e.getMessage() + ")", ""};
            }
        }
        return new String[] {HexFormat.of().formatHex(compressed.digest()), HexFormat.of().formatHex(open.digest())};
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Counts and digests what passes; closing closes the stream underneath. */
    private static final class CountingDigestStream extends java.io.FilterOutputStream {
        private final MessageDigest digest;
        private final long[] counts;
        private final int slot;

        CountingDigestStream(OutputStream out, MessageDigest digest, long[] counts, int slot) {
            super(out);
            this.digest = digest;
            this.counts = counts;
            this.slot = slot;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            digest.update((byte) b);
            counts[slot]++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            digest.update(b, off, len);
            counts[slot] += len;
        }
    }

    @Override
    public String toString() {
        return "YumRepository[" + root + ", " + packages.size() + " packages, generation " + generation + "]";
    }
}
