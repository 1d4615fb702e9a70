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
import java.io.Closeable;
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
 * adding one package to thousands reads one package. The metadata is rendered from the index
 * alone, so an incremental publication is byte for byte the full rebuild's ({@link #rebuild}).
 *
 * <p><b>Memory: a package at a time.</b> Nothing holds every package. The index is kept in
 * {@link #ORDER} and read a package at a time; packages read since (added, or every one of a
 * rebuild) go to a scratch file with only a small key each in memory ({@link PackageSpool}).
 * {@link #publish} merges the two into the new index in one pass, holding one name's versions
 * (retention decides per name and architecture), then writes primary, filelists and other in
 * parallel, each in one more pass over the new index, compressed and hashed on its way to the
 * disk. Looking up a location ({@link #add}, {@link #conflicts}) or a name ({@link #remove}) is
 * a pass over the index too.
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

    /** A package file no longer listed since publication {@code generation}, deleted at the next one. */
    record Retired(String location, long generation) {}

    /** The order of the index and of the metadata: name, architecture, version (oldest first), location. */
    static final Comparator<YumPackage> ORDER = Comparator.comparing(YumPackage::name)
            .thenComparing(YumPackage::arch).thenComparing(YumPackage::evr).thenComparing(YumPackage::location);

    private static final int READ_BATCH = 256;

    private final Path root;
    private final Staging staging;
    /** The index the packages come from; null when every package is read again ({@link #rebuild}). */
    private Path state;
    private long generation;
    /** The retired files when known before the index is read through ({@link #rebuild}), else null. */
    private Map<String, Retired> knownRetired;
    /** Packages read since the index, listed over the index's package at the same location. */
    private PackageSpool spool;
    /** Locations of the index no longer listed. */
    private final Set<String> removed = new HashSet<>();
    /** Changes to the retired files, applied over the index's: a location retired, or (empty) listed again. */
    private final Map<String, Optional<Retired>> retiring = new LinkedHashMap<>();

    private YumRepository(Path root, Staging staging) {
        this.root = root;
        this.staging = staging;
    }

    /**
     * Opens the repository at {@code root} (created if missing) with its index, reading only the
     * index's header: the packages are read a package at a time when needed. Without an index (a
     * new directory, or one createrepo_c made) every .rpm under the root is read, as {@link #rebuild} does.
     * What it writes is made in {@code staging} first.
     */
    public static YumRepository open(Path root, Staging staging) throws IOException {
        YumRepository repository = new YumRepository(Files.createDirectories(root).toAbsolutePath().normalize(), staging);
        Path index = repository.root.resolve(INDEX_FILE);
        if (!Files.exists(index)) {
            repository.knownRetired = new TreeMap<>();
            repository.readTree();
            return repository;
        }
        try (YumState.Reader in = YumState.Reader.open(index)) {
            repository.generation = in.generation();
        } catch (IOException e) {
            throw unreadable(index, e);
        }
        repository.state = index;
        return repository;
    }

    private static IOException unreadable(Path index, IOException e) {
        return new IOException(index + " is not a readable Cutter yum index (" + e.getMessage()
                + "); delete it to re-read every package", e);
    }

    /** Opens the repository ignoring its index: every .rpm under the root is read again. */
    public static YumRepository rebuild(Path root, Staging staging) throws IOException {
        YumRepository repository = new YumRepository(Files.createDirectories(root).toAbsolutePath().normalize(), staging);
        Path index = repository.root.resolve(INDEX_FILE);
        repository.knownRetired = new TreeMap<>();
        if (Files.exists(index)) {
            // keep the publication count and the pending deletions, nothing read from packages
            try (YumState.Reader in = YumState.Reader.open(index)) {
                long generation = in.generation();
                List<Retired> retired = in.retired();
                repository.generation = generation;
                retired.forEach(r -> repository.knownRetired.put(r.location(), r));
            } catch (IOException e) {
                // an unreadable index is rebuilt anyway
                repository.knownRetired.clear();
            }
        }
        repository.readTree();
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

    /**
     * The indexed packages, in {@link #ORDER}. Holds them all: for a listing, never on the way to
     * a publication.
     */
    public List<YumPackage> list() throws IOException {
        List<YumPackage> list = new ArrayList<>();
        try (Merged merged = new Merged()) {
            for (YumPackage p; (p = merged.next()) != null; ) {
                list.add(p);
            }
        }
        return list;
    }

    /**
     * Reads every .rpm under the root ({@code repodata/} and hidden directories are not searched),
     * on every core, into the spool: the index is then made from them alone.
     */
    private void readTree() throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(p -> p.getFileName().toString().endsWith(".rpm"))
                    .filter(p -> !hiddenOrRepodata(root.relativize(p)))
                    .filter(Files::isRegularFile)
                    .forEach(found::add);
        }
        found.sort(Comparator.comparing(this::location));
        state = null;
        removed.clear();
        PackageSpool into = spool();
        int threads = Math.max(1, Math.min(found.size(), Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = threads <= 1 ? null : Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "yum-index");
            t.setDaemon(true);
            return t;
        });
        try {
            // a batch at a time, so the packages read and not yet spooled stay few
            for (int from = 0; from < found.size(); from += READ_BATCH) {
                List<Path> batch = found.subList(from, Math.min(found.size(), from + READ_BATCH));
                for (YumPackage p : readAll(batch, pool)) {
                    into.add(p);
                    knownRetired.remove(p.location());
                }
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    private PackageSpool spool() throws IOException {
        if (spool == null) {
            spool = new PackageSpool(staging.file(root, "yum-spool"));
        }
        return spool;
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

    /** Reads packages on the pool's threads (here when there is none): the work is hashing, and each file is read once. */
    private List<YumPackage> readAll(List<Path> files, ExecutorService pool) throws IOException {
        if (pool == null) {
            List<YumPackage> result = new ArrayList<>();
            for (Path file : files) {
                result.add(readInPlace(file));
            }
            return result;
        }
        List<Future<YumPackage>> futures = new ArrayList<>(files.size());
        for (Path file : files) {
            futures.add(pool.submit(() -> readInPlace(file)));
        }
        try {
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
            futures.forEach(f -> f.cancel(true));
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
     * The packages listed at {@code locations}, by location: one pass over the index (a package at
     * a time), then the packages read since.
     */
    private Map<String, YumPackage> listedAt(Set<String> locations) throws IOException {
        Map<String, YumPackage> found = new HashMap<>();
        if (locations.isEmpty()) {
            return found;
        }
        if (state != null) {
            try (YumState.Reader in = YumState.Reader.open(state)) {
                for (YumPackage p; (p = in.next()) != null; ) {
                    if (locations.contains(p.location()) && !removed.contains(p.location())) {
                        found.put(p.location(), p);
                    }
                }
            } catch (IOException e) {
                throw unreadable(state, e);
            }
        }
        if (spool != null) {
            for (String location : locations) {
                Optional<PackageSpool.Key> key = spool.at(location);
                if (key.isPresent()) {
                    found.put(location, spool.read(key.get()));
                }
            }
        }
        return found;
    }

    /**
     * What {@link #add} would refuse, changing nothing: each of {@code rpms} whose place in
     * {@code Packages/} this repository already indexes with other bytes, as the refusal's message.
     */
    public List<String> conflicts(List<Path> rpms) throws IOException {
        List<Path> sources = new ArrayList<>();
        List<YumPackage> read = new ArrayList<>();
        List<String> locations = new ArrayList<>();
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
            sources.add(rpm);
            read.add(p);
            locations.add(location(target));
        }
        Map<String, YumPackage> listed = listedAt(new HashSet<>(locations));
        List<String> conflicts = new ArrayList<>();
        for (int i = 0; i < read.size(); i++) {
            YumPackage known = listed.get(locations.get(i));
            YumPackage p = read.get(i);
            if (known != null && !known.sha256().equals(p.sha256())) {
                conflicts.add(new PackageExistsException(sources.get(i).toString(), root + " (" + known.location() + ")",
                        known.nevra(), known.sha256(), p.sha256()).getMessage());
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
        List<Path> staged = new ArrayList<>(); // (staged file, its place), or (null, null) for a package read in place
        try {
            for (Path rpm : rpms) {
                Path absolute = rpm.toAbsolutePath().normalize();
                if (absolute.startsWith(root)) {
                    read.add(readInPlace(absolute));
                    staged.add(null);
                    staged.add(null);
                } else {
                    read.add(copyIn(absolute, staged));
                }
            }
            Set<String> locations = new HashSet<>();
            read.forEach(p -> locations.add(p.location()));
            Map<String, YumPackage> listed = listedAt(locations);
            for (int i = 0; i < read.size(); i++) {
                YumPackage p = read.get(i);
                YumPackage known = listed.get(p.location());
                if (known == null) {
                    continue;
                }
                if (!known.sha256().equals(p.sha256())) {
                    throw new PackageExistsException(rpms.get(i).toString(), root + " (" + p.location() + ")", known.nevra(),
                            known.sha256(), p.sha256());
                }
                if (staged.get(2 * i) != null) {
                    // the same package again: keep the published file (and its mtime) as it is
                    Files.delete(staged.get(2 * i));
                    staged.set(2 * i, null);
                    read.set(i, known);
                }
            }
            for (int i = 0; i < staged.size(); i += 2) {
                if (staged.get(i) != null) {
                    Files.createDirectories(root.resolve(PACKAGES));
                    Staging.move(staged.get(i), staged.get(i + 1)); // all checked before the first moves in
                    staged.set(i, null);
                }
            }
        } finally {
            for (int i = 0; i < staged.size(); i += 2) {
                if (staged.get(i) != null) {
                    Files.deleteIfExists(staged.get(i));
                }
            }
        }
        PackageSpool into = spool();
        for (YumPackage p : read) {
            into.add(p);
            retiring.put(p.location(), Optional.empty());
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
    public List<YumPackage> remove(String name, Optional<String> evr) throws IOException {
        List<YumPackage> removedNow = new ArrayList<>();
        try (Merged merged = new Merged()) {
            for (YumPackage p; (p = merged.next()) != null; ) {
                YumPackage candidate = p;
                if (p.name().equals(name) && evr.map(e -> candidate.evr().toString().equals(e)
                        || (candidate.epoch() == 0 ? "0:" + candidate.evr() : candidate.evr().toString()).equals(e)).orElse(true)) {
                    removedNow.add(p);
                }
            }
        }
        for (YumPackage p : removedNow) {
            removed.add(p.location());
            if (spool != null) {
                spool.remove(p.location());
            }
            retiring.put(p.location(), Optional.of(new Retired(p.location(), generation + 1)));
        }
        return removedNow;
    }

    /**
     * The index's packages (less those removed and those at a location read again) merged with the
     * packages read since, in {@link #ORDER}, one at a time; then the retired files.
     */
    private final class Merged implements Closeable {
        private final YumState.Reader in;
        private final List<PackageSpool.Key> added;
        private int nextAdded;
        private YumPackage nextListed;
        private YumPackage previousListed;

        Merged() throws IOException {
            in = state == null ? null : openState();
            added = spool == null ? List.of() : spool.keysInOrder();
        }

        private YumState.Reader openState() throws IOException {
            try {
                return YumState.Reader.open(state);
            } catch (IOException e) {
                throw unreadable(state, e);
            }
        }

        YumPackage next() throws IOException {
            if (nextListed == null && in != null) {
                nextListed = readListed();
            }
            PackageSpool.Key key = nextAdded < added.size() ? added.get(nextAdded) : null;
            if (key != null && (nextListed == null || compare(key, nextListed) < 0)) {
                nextAdded++;
                return spool.read(key);
            }
            YumPackage p = nextListed;
            nextListed = null;
            return p;
        }

        private YumPackage readListed() throws IOException {
            try {
                for (YumPackage p; (p = in.next()) != null; ) {
                    if (previousListed != null && ORDER.compare(previousListed, p) > 0) {
                        throw new IOException("its packages are out of order at " + p.location());
                    }
                    previousListed = p;
                    if (!removed.contains(p.location()) && (spool == null || spool.at(p.location()).isEmpty())) {
                        return p;
                    }
                }
                return null;
            } catch (IOException e) {
                throw unreadable(state, e);
            }
        }

        /** The retired files before this object's changes; call after the last package. */
        Map<String, Retired> retired() throws IOException {
            if (knownRetired != null) {
                return new TreeMap<>(knownRetired);
            }
            Map<String, Retired> retired = new TreeMap<>();
            try {
                in.retired().forEach(r -> retired.put(r.location(), r));
            } catch (IOException e) {
                throw unreadable(state, e);
            }
            return retired;
        }

        private static int compare(PackageSpool.Key key, YumPackage p) {
            int c = key.name().compareTo(p.name());
            if (c == 0) {
                c = key.arch().compareTo(p.arch());
            }
            if (c == 0) {
                c = key.evr().compareTo(p.evr());
            }
            return c != 0 ? c : key.location().compareTo(p.location());
        }

        @Override
        public void close() throws IOException {
            if (in != null) {
                in.close();
            }
        }
    }

    /**
     * Publishes the repository: applies {@code keep}, writes primary, filelists and other, then
     * repomd.xml.asc (when signing) and repomd.xml, then deletes what the publication before the
     * previous one still needed and saves the index. See the class comment for the order. The
     * index and the packages read since are merged into a new index a package at a time (holding
     * one name's versions, for retention); the three metadata files are each written from it in
     * one more pass, in parallel, compressed and hashed on their way to the disk.
     */
    public YumPublication publish(YumPublishOptions options) throws IOException {
        long next = generation + 1;
        Path repodata = Files.createDirectories(root.resolve("repodata"));
        Path repomdFile = repodata.resolve("repomd.xml");
        Set<String> previous = new HashSet<>();
        if (Files.exists(repomdFile)) {
            try (InputStream in = Files.newInputStream(repomdFile)) {
                Repomd.parse(in, repomdFile.toString()).data().forEach(d -> previous.add(d.href()));
            }
        }
        Path newState = staging.file(root, INDEX_FILE);
        try (YumState.Writer out = new YumState.Writer(newState, next)) {
            List<String> dropped = new ArrayList<>();
            Map<String, Retired> retired;
            try (Merged merged = new Merged()) {
                writeKept(merged, options.keep(), next, out, dropped);
                retired = merged.retired();
            }
            out.endPackages();
            retiring.forEach((location, change) -> {
                if (change.isPresent()) {
                    retired.put(location, change.get());
                } else {
                    retired.remove(location);
                }
            });

            long time = options.time().getEpochSecond();
            List<Repomd.Data> data = writeMetadata(newState, repodata, options.compression(), time);
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

            // Deleted before the index is saved: a crash in between leaves them retired in the old
            // index, deleted again (or found gone) next time.
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
            for (Retired r : List.copyOf(retired.values())) {
                if (r.generation() < next) {
                    // never listed too: a location listed again is no longer retired (add, rebuild)
                    Files.deleteIfExists(Confined.resolve(root, r.location())); // the index names it: never outside
                    retired.remove(r.location());
                }
            }
            out.finish(retired.values());
            out.close();
            Staging.move(newState, root.resolve(INDEX_FILE));

            int count = out.count();
            generation = next;
            state = root.resolve(INDEX_FILE);
            knownRetired = null;
            removed.clear();
            retiring.clear();
            if (spool != null) {
                spool.close();
                spool = null;
            }
            return new YumPublication(time, generation, count, dropped, data.stream().map(Repomd.Data::href).toList());
        } finally {
            Files.deleteIfExists(newState);
        }
    }

    /**
     * Writes the merged packages to {@code out}, all but the newest {@code keep} versions of each
     * name and architecture (all when 0), which are retired at publication {@code generation}.
     */
    private void writeKept(Merged merged, int keep, long generation, YumState.Writer out, List<String> dropped)
            throws IOException {
        List<YumPackage> versions = new ArrayList<>();
        for (YumPackage p = merged.next(); ; p = merged.next()) {
            if (p == null || (!versions.isEmpty() && !(versions.get(0).name().equals(p.name())
                    && versions.get(0).arch().equals(p.arch())))) {
                // oldest first: all but the last `keep` go
                for (int i = 0; i < versions.size(); i++) {
                    YumPackage v = versions.get(i);
                    if (keep > 0 && i < versions.size() - keep) {
                        dropped.add(v.nevra());
                        retiring.put(v.location(), Optional.of(new Retired(v.location(), generation)));
                    } else {
                        out.write(v);
                    }
                }
                versions.clear();
            }
            if (p == null) {
                return;
            }
            if (keep == 0) {
                out.write(p);
            } else {
                versions.add(p);
            }
        }
    }

    /** Writes the three metadata files in parallel, each from the index {@code listed} in one pass, streamed through its digests. */
    private List<Repomd.Data> writeMetadata(Path listed, Path repodata,
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

    private Repomd.Data writeOne(String type, Path listed, Path repodata,
            MetadataCompression compression, long time) throws IOException {
        Path temporary = staging.file(root, type + ".xml" + compression.suffix);
        try {
            MessageDigest compressedDigest = sha256();
            MessageDigest openDigest = sha256();
            long[] counts = new long[2];
            try (OutputStream file = Files.newOutputStream(temporary);
                    YumState.Reader packages = YumState.Reader.open(listed)) {
                OutputStream counted = new CountingDigestStream(new BufferedOutputStream(file, 1 << 16),
                        compressedDigest, counts, 0);
                OutputStream open = new CountingDigestStream(compression.compress(counted), openDigest, counts, 1);
                try (Writer writer = new OutputStreamWriter(new BufferedOutputStream(open, 1 << 16),
                        StandardCharsets.UTF_8)) {
                    switch (type) {
                        case "primary" -> MetadataXml.primary(packages, writer);
                        case "filelists" -> MetadataXml.filelists(packages, writer);
                        default -> MetadataXml.other(packages, writer);
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
        return "YumRepository[" + root + ", generation " + generation + "]";
    }
}
