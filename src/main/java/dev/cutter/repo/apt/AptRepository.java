package dev.cutter.repo.apt;

import dev.cutter.content.Confined;
import dev.cutter.content.FileTrees;
import dev.cutter.content.PublishedFiles;
import dev.cutter.content.Staging;
import dev.cutter.content.TreeLock;
import dev.cutter.pkg.InvalidPackageException;
import dev.cutter.pkg.PackageExistsException;
import dev.cutter.pkg.deb.DebianVersion;
import dev.cutter.sign.OpenPgpSigner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * An apt repository in a local directory, served as it is by any static web server. See the
 * package documentation for the layout, the state it keeps and how publication stays atomic.
 *
 * <p>{@link #add} and {@link #remove} change the repository's state (what each distribution and
 * component holds); {@link #publish} turns that state into signed indexes that clients see all
 * at once. Every operation holds an exclusive lock on the repository (a file lock, so two
 * processes cannot interleave); an instance may be shared by threads. Every file it writes is made
 * whole in a {@link Staging} area outside the tree and moved in by one rename.
 */
public final class AptRepository {
    static final String STATE = ".cutter/apt";
    private static final DateTimeFormatter RFC_1123 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final String GENERATIONS = ".generations";

    private final Path root;
    private final Staging staging;

    private AptRepository(Path root, Staging staging) {
        this.root = root;
        this.staging = staging;
    }

    /**
     * Opens the repository at {@code root}, creating the directory and its state directory if
     * needed; what it writes is made in {@code staging} first.
     */
    public static AptRepository open(Path root, Staging staging) throws IOException {
        Path absolute = root.toAbsolutePath().normalize();
        Files.createDirectories(absolute.resolve(STATE).resolve("state"));
        Files.createDirectories(absolute.resolve("pool"));
        Files.createDirectories(absolute.resolve("dists"));
        return new AptRepository(absolute, staging);
    }

    public Path root() {
        return root;
    }

    /**
     * What {@link #add} would refuse, changing nothing: each of {@code debs} that {@code dist}'s
     * {@code component} already indexes with other bytes, or whose pool file another distribution
     * published with other bytes, as the refusal's message.
     */
    public List<String> conflicts(String dist, String component, List<Path> debs) throws IOException {
        checkName("distribution", dist);
        checkName("component", component);
        List<AptPackage> read = AptIndexer.readInOrder(debs, debs.stream().map(Path::toString).toList(), 0);
        Map<String, AptPackage> state = present(dist, component, read.stream().map(p -> p.withFilename(p.poolPath(component))).toList());
        List<String> conflicts = new ArrayList<>();
        for (int i = 0; i < debs.size(); i++) {
            AptPackage pooled = read.get(i).withFilename(read.get(i).poolPath(component));
            AptPackage present = state.get(key(pooled));
            if (present != null && !present.sha256().equals(pooled.sha256())) {
                conflicts.add(new PackageExistsException(debs.get(i).toString(), root + " (" + dist + "/" + component + ")",
                        describe(present), present.sha256(), pooled.sha256()).getMessage());
                continue;
            }
            Path target;
            try {
                target = Confined.resolve(root.resolve("pool"), pooled.filename().substring("pool/".length()));
            } catch (Confined.OutsideRootException e) {
                continue; // add refuses it as invalid, not as a conflict
            }
            if (present == null && Files.exists(target)) {
                String pooledSha256 = Digests.of(target).sha256();
                if (!pooledSha256.equals(pooled.sha256())) {
                    conflicts.add(new PackageExistsException(debs.get(i).toString(), "the pool of " + root + " (" + pooled.filename()
                            + ")", describe(pooled), pooledSha256, pooled.sha256()).getMessage());
                }
            }
        }
        return conflicts;
    }

    /**
     * Copies {@code debs} into the pool and adds them to {@code dist}/{@code component}, reading
     * only these files and the component's state, never the packages already there. A package
     * already present with the same name, version, architecture and bytes is left as it is; with
     * other bytes it is refused (a published version never changes). Clients see the change at
     * the next {@link #publish}.
     *
     * @return the packages as indexed, with their pool file names
     */
    public List<AptPackage> add(String dist, String component, List<Path> debs) throws IOException {
        checkName("distribution", dist);
        checkName("component", component);
        List<AptPackage> read = AptIndexer.readInOrder(debs, debs.stream().map(Path::toString).toList(), 0);
        try (TreeLock lock = lock()) {
            if (read.stream().allMatch(p -> p.architecture().equals("all")) && !holdsArchitectureSpecific(dist)) {
                throw unpublishable(dist); // refused before anything is copied or indexed
            }
            Map<String, AptPackage> state = present(dist, component, read.stream().map(p -> p.withFilename(p.poolPath(component))).toList());
            List<AptPackage> additions = new ArrayList<>();
            // every package is checked before the first is copied: a refusal leaves the repository as it was
            List<AptPackage> added = new ArrayList<>();
            List<Integer> toCopy = new ArrayList<>();
            for (int i = 0; i < debs.size(); i++) {
                AptPackage pkg = read.get(i);
                checkName("architecture of " + debs.get(i), pkg.architecture());
                AptPackage pooled = pkg.withFilename(pkg.poolPath(component));
                Path target;
                try {
                    target = Confined.resolve(root.resolve("pool"), pooled.filename().substring("pool/".length()));
                } catch (Confined.OutsideRootException e) { // DebFields refused such names already: a second wall
                    throw new InvalidPackageException(debs.get(i) + ": its fields make the pool path " + pooled.filename()
                            + ", which leads outside " + root.resolve("pool"));
                }
                AptPackage present = state.get(key(pooled));
                if (present != null && !present.sha256().equals(pooled.sha256())) {
                    throw new PackageExistsException(debs.get(i).toString(), root + " (" + dist + "/" + component + ")",
                            describe(present), present.sha256(), pooled.sha256());
                }
                if (present == null && Files.exists(target)) {
                    String pooledSha256 = Digests.of(target).sha256();
                    if (!pooledSha256.equals(pooled.sha256())) { // another distribution published it
                        throw new PackageExistsException(debs.get(i).toString(), "the pool of " + root + " ("
                                + pooled.filename() + ")", describe(pooled), pooledSha256, pooled.sha256());
                    }
                }
                if (present == null) {
                    toCopy.add(i);
                    state.put(key(pooled), pooled);
                    additions.add(pooled);
                }
                added.add(present != null ? present : pooled);
            }
            // noted before they exist: a crash before the state names them leaves files the next publish collects
            noteCollectable(toCopy.stream().map(i -> added.get(i).filename()).toList());
            for (int i : toCopy) {
                copyIntoPool(debs.get(i), added.get(i));
            }
            additions.sort(AptPackage.ORDER);
            rewrite(dist, component, additions, name -> false, group -> group);
            return added;
        }
    }

    /**
     * Removes every version (or the given one) of package {@code name}, all architectures, from
     * {@code dist}/{@code component}. The pool file goes at the next {@link #publish}, once no
     * published index names it any more.
     *
     * @return what was removed, empty when nothing matched
     */
    public List<AptPackage> remove(String dist, String component, String name, Optional<String> version)
            throws IOException {
        checkName("distribution", dist);
        checkName("component", component);
        try (TreeLock lock = lock()) {
            List<AptPackage> removed = new ArrayList<>();
            rewrite(dist, component, List.of(), name::equals, group -> {
                List<AptPackage> kept = new ArrayList<>();
                for (AptPackage p : group) {
                    boolean match = p.name().equals(name) && version.map(
                            v -> DebianVersion.parse(v).toString().equals(DebianVersion.parse(p.version()).toString())).orElse(true);
                    (match ? removed : kept).add(p);
                }
                return kept;
            });
            return removed;
        }
    }

    /** The packages {@code dist}/{@code component} holds (published or not yet), in {@link AptPackage#ORDER}. */
    public List<AptPackage> list(String dist, String component) throws IOException {
        checkName("distribution", dist);
        checkName("component", component);
        try (TreeLock lock = lock()) {
            return load(dist, component);
        }
    }

    /**
     * Full rebuild, as {@code apt-ftparchive} works: forgets the state of {@code dist}/{@code component}
     * and reads every .deb under {@code pool/<component>} again (in parallel). The incremental
     * path ({@link #add}) gives the same indexes byte for byte.
     */
    public int rebuild(String dist, String component) throws IOException {
        checkName("distribution", dist);
        checkName("component", component);
        try (TreeLock lock = lock()) {
            Path pool = Files.createDirectories(root.resolve("pool").resolve(component));
            Path state = Files.createDirectories(stateDir(dist)).resolve(component);
            try (Spool spool = new Spool(staging.file(root, "packages-read"))) {
                AptIndexer.scan(pool, root, 0, spool::add);
                List<Spool.Key> keys = spool.keysInOrder();
                for (int i = 1; i < keys.size(); i++) {
                    if (keys.get(i).sameKey(keys.get(i - 1))) {
                        throw new IOException("the pool holds " + keys.get(i).describe() + " twice: " + keys.get(i - 1).filename()
                                + " and " + keys.get(i).filename() + "; remove one");
                    }
                }
                staging.write(root, state, staged -> {
                    try (FileChannel out = FileChannel.open(staged, StandardOpenOption.WRITE)) {
                        spool.copyInOrder(keys, out);
                        out.force(true);
                    }
                });
                return keys.size();
            }
        }
    }

    /**
     * Publishes every distribution: applies {@code keep}, writes each component's
     * {@code binary-<arch>/Packages[.gz|.xz]}, the Release file, InRelease and Release.gpg, into a
     * new directory that replaces {@code dists/<dist>} by one atomic rename of a symbolic link;
     * then deletes the pool files no distribution holds any more.
     *
     * @return the distributions published
     */
    public List<String> publish(AptPublishOptions options) throws IOException {
        try (TreeLock lock = lock()) {
            List<String> dists = children(root.resolve(STATE).resolve("state"));
            if (options.keep() > 0) {
                for (String dist : dists) {
                    for (String component : children(stateDir(dist))) {
                        rewrite(dist, component, List.of(), name -> true, group -> retain(group, options.keep()));
                    }
                }
            }
            Set<String> collectable = collectable(); // read after retention noted what it dropped
            Set<String> referenced = new HashSet<>();
            for (String dist : dists) {
                publish(dist, options, collectable, referenced);
            }
            collect(collectable, referenced);
            return dists;
        }
    }

    /**
     * Checks every published distribution: each file its Release lists (and its by-hash copies)
     * has the listed size and digests, and each package its Packages files list is in the pool with
     * the listed size and digests. Every file is read once; nothing is changed.
     */
    public AptVerification verify() throws IOException {
        try (TreeLock lock = lock()) {
            List<String> problems = new ArrayList<>();
            Map<Path, Digests> seen = new HashMap<>();
            int indexes = 0;
            Set<String> poolFiles = new HashSet<>();
            for (String dist : children(root.resolve("dists"))) {
                Path dir = root.resolve("dists").resolve(dist);
                Path releaseFile = dir.resolve("Release");
                if (!Files.isRegularFile(releaseFile)) {
                    problems.add("dists/" + dist + "/Release is missing");
                    continue;
                }
                Release release = Release.parse(Files.readString(releaseFile, StandardCharsets.UTF_8), "dists/" + dist + "/Release");
                Map<String, Long> packagesFiles = new TreeMap<>();
                for (Release.Entry entry : release.entries()) {
                    Path file = dir.resolve(entry.path());
                    String shown = "dists/" + dist + "/" + entry.path();
                    indexes++;
                    Digests actual = digests(file, seen);
                    if (actual == null) {
                        problems.add(shown + " is listed in the Release file but missing");
                        continue;
                    }
                    checkDigests(shown, entry.digests(), actual, "the Release file", problems);
                    if (release.byHash()) {
                        for (int i = 0; i < Digests.NAMES.size(); i++) {
                            String hex = entry.digests().all().get(i);
                            if (hex == null) {
                                continue;
                            }
                            Path byHash = file.resolveSibling("by-hash").resolve(Digests.NAMES.get(i)).resolve(hex);
                            Digests copy = digests(byHash, seen);
                            if (copy == null || !hex.equals(copy.all().get(i))) {
                                problems.add(shown + ": its by-hash/" + Digests.NAMES.get(i) + " copy is "
                                        + (copy == null ? "missing" : "different"));
                            }
                        }
                    }
                    String name = file.getFileName().toString();
                    if (name.startsWith("Packages")) {
                        packagesFiles.putIfAbsent(entry.path().substring(0, entry.path().lastIndexOf('/')), 0L);
                    }
                }
                for (String indexDir : packagesFiles.keySet()) {
                    InputStream index = openIndex(dir.resolve(indexDir), "Packages");
                    if (index == null) {
                        problems.add("dists/" + dist + "/" + indexDir + " has no readable Packages file");
                        continue;
                    }
                    try (PackagesFile in = PackagesFile.of(index, "dists/" + dist + "/" + indexDir + "/Packages")) {
                        for (AptPackage p; (p = in.next()) != null; ) {
                            poolFiles.add(p.filename());
                            String shown = p.filename() + " (" + describe(p) + " in dists/" + dist + "/" + indexDir + ")";
                            Path pooled;
                            try {
                                pooled = Confined.resolve(root, p.filename());
                            } catch (Confined.OutsideRootException e) {
                                problems.add(shown + " leads outside the repository");
                                continue;
                            }
                            Digests actual = digests(pooled, seen);
                            if (actual == null) {
                                problems.add(shown + " is missing from the pool");
                            } else {
                                checkDigests(shown, new Digests(p.size(), p.md5(), p.sha1(), p.sha256(), p.sha512()), actual,
                                        "the Packages file", problems);
                            }
                        }
                    }
                }
            }
            return new AptVerification(indexes, poolFiles.size(), problems);
        }
    }

    // ---- publication

    private dev.cutter.repo.UnpublishableRepositoryException unpublishable(String dist) {
        return new dev.cutter.repo.UnpublishableRepositoryException("cannot publish " + root + " (" + dist + "): it would hold"
                + " no architecture-specific package (only Architecture: all, or none) to tell which binary-<arch> indexes"
                + " to write; add a package built for an architecture with it");
    }

    /** Whether any component of {@code dist} indexes a package of an architecture other than {@code all}. */
    private boolean holdsArchitectureSpecific(String dist) throws IOException {
        if (!Files.isDirectory(stateDir(dist))) {
            return false;
        }
        for (String component : children(stateDir(dist))) {
            try (PackagesFile in = PackagesFile.open(stateDir(dist).resolve(component))) {
                for (String text; (text = in.nextText()) != null; ) {
                    if (!field(in, text, "Architecture", AptPackage::architecture).equals("all")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Publishes {@code dist}; of {@code collectable}, the pool files its state still names are
     * added to {@code referenced}, found in the pass that reads every stanza anyway.
     */
    private void publish(String dist, AptPublishOptions options, Set<String> collectable, Set<String> referenced)
            throws IOException {
        List<String> components = children(stateDir(dist));
        Map<String, Path> byComponent = new TreeMap<>();
        TreeSet<String> derived = new TreeSet<>();
        for (String component : components) {
            Path state = stateDir(dist).resolve(component);
            byComponent.put(component, state);
            try (PackagesFile in = PackagesFile.open(state)) {
                for (String text; (text = in.nextText()) != null; ) {
                    String architecture = field(in, text, "Architecture", AptPackage::architecture);
                    if (!architecture.equals("all")) {
                        derived.add(architecture);
                    }
                    if (!collectable.isEmpty()) {
                        String filename = field(in, text, "Filename", AptPackage::filename);
                        if (collectable.contains(filename)) {
                            referenced.add(filename);
                        }
                    }
                }
            }
        }
        List<String> architectures = options.architectures().isEmpty() ? List.copyOf(derived)
                : options.architectures().stream().sorted().distinct().toList();
        if (architectures.isEmpty()) {
            throw unpublishable(dist);
        }
        Path dists = root.resolve("dists");
        Path link = dists.resolve(dist);
        Path previous = null;
        if (Files.isSymbolicLink(link)) {
            previous = link.resolveSibling(Files.readSymbolicLink(link)).normalize();
        } else if (Files.exists(link)) {
            throw new IOException(link + " is a directory Cutter did not publish (it publishes a symbolic link to"
                    + " dists/" + GENERATIONS + "/" + dist + "/<n>); move it away first");
        }
        Path generations = Files.createDirectories(dists.resolve(GENERATIONS).resolve(dist));
        long number = children(generations).stream().filter(AptRepository::isNumber).mapToLong(Long::parseLong).max()
                .orElse(0) + 1;
        Path generation = generations.resolve(Long.toString(number));
        Path staged = staging.directory(root, dist + "-" + number); // written whole there, then moved in
        try {
            writeGeneration(staged, dist, previous, byComponent, architectures, options);
            Staging.move(staged, generation);
        } finally {
            FileTrees.delete(staged);
        }
        // The switch: a new symbolic link renamed over the old one, which rename(2) does atomically.
        Path newLink = staging.name(root, dist + ".link");
        Files.createSymbolicLink(newLink, dists.relativize(generation));
        Staging.move(newLink, link);
        // Keep this generation and the previous one (a client may still be reading a file of it).
        for (String old : children(generations)) {
            Path dir = generations.resolve(old);
            if (!dir.equals(generation) && !dir.equals(previous)) {
                FileTrees.delete(dir);
            }
        }
    }

    /** Writes the indexes, the Release file and its signatures of {@code dist} into the new directory {@code generation}. */
    private static void writeGeneration(Path generation, String dist, Path previous, Map<String, Path> byComponent,
            List<String> architectures, AptPublishOptions options) throws IOException {
        List<Release.Entry> entries = new ArrayList<>();
        for (Map.Entry<String, Path> component : byComponent.entrySet()) {
            for (String arch : architectures) {
                // one pass over the state per index: one stanza in memory, compressed and hashed as it is written
                IndexFiles index = new IndexFiles(generation, component.getKey() + "/binary-" + arch, "Packages",
                        options.compressions());
                try (index; PackagesFile in = PackagesFile.open(component.getValue())) {
                    for (String text; (text = in.nextText()) != null; ) {
                        String architecture = field(in, text, "Architecture", AptPackage::architecture);
                        if (architecture.equals(arch) || architecture.equals("all")) {
                            PackagesFile.write(text, index); // the state's stanza as it is: never rendered again
                        }
                    }
                }
                for (IndexFiles.Written written : index.written()) {
                    if (options.byHash()) {
                        linkByHash(written.file(), written.entry().digests());
                    }
                    entries.add(written.entry());
                }
            }
        }
        entries.sort(Comparator.comparing(Release.Entry::path));
        if (options.byHash() && previous != null) {
            keepPreviousByHash(previous, generation);
        }
        String release = Release.text(options, dist, RFC_1123.format(options.date().truncatedTo(ChronoUnit.SECONDS)),
                architectures, List.copyOf(byComponent.keySet()), entries);
        byte[] releaseBytes = release.getBytes(StandardCharsets.UTF_8);
        writeDurably(generation.resolve("Release"), releaseBytes);
        if (options.signer().isPresent()) {
            OpenPgpSigner signer = options.signer().get();
            ByteArrayOutputStream inRelease = new ByteArrayOutputStream();
            signer.clearsign(new ByteArrayInputStream(releaseBytes), inRelease);
            writeDurably(generation.resolve("InRelease"), inRelease.toByteArray());
            ByteArrayOutputStream detached = new ByteArrayOutputStream();
            signer.detach(new ByteArrayInputStream(releaseBytes), detached);
            writeDurably(generation.resolve("Release.gpg"), detached.toByteArray());
        }
        Staging.syncDirectory(generation);
    }

    /** With by-hash: hard links to an index file under every digest it is listed by. */
    private static void linkByHash(Path file, Digests digests) throws IOException {
        for (int i = 0; i < Digests.NAMES.size(); i++) {
            Path copy = file.resolveSibling("by-hash").resolve(Digests.NAMES.get(i)).resolve(digests.all().get(i));
            Files.createDirectories(copy.getParent());
            if (!Files.exists(copy)) {
                link(file, copy);
            }
        }
    }

    /**
     * The previous generation's indexes stay reachable by hash: a client that read the old
     * InRelease just before the switch asks for by-hash/&lt;hash&gt;/&lt;old digest&gt; and finds it.
     * Only what the previous Release listed is carried over, so by-hash holds two generations.
     */
    private static void keepPreviousByHash(Path previous, Path generation) throws IOException {
        Path releaseFile = previous.resolve("Release");
        if (!Files.isRegularFile(releaseFile)) {
            return;
        }
        Release old = Release.parse(Files.readString(releaseFile, StandardCharsets.UTF_8), releaseFile.toString());
        for (Release.Entry entry : old.entries()) {
            for (int i = 0; i < Digests.NAMES.size(); i++) {
                String hex = entry.digests().all().get(i);
                if (hex == null) {
                    continue;
                }
                Path relative = Path.of(entry.path()).resolveSibling("by-hash").resolve(Digests.NAMES.get(i)).resolve(hex);
                Path from = previous.resolve(relative);
                Path to = generation.resolve(relative);
                if (Files.isRegularFile(from) && !Files.exists(to)) {
                    Files.createDirectories(to.getParent());
                    link(from, to);
                }
            }
        }
    }

    /** The highest {@code keep} versions of each name and architecture. */
    static List<AptPackage> retain(List<AptPackage> packages, int keep) {
        Map<String, List<AptPackage>> groups = new LinkedHashMap<>();
        for (AptPackage p : packages) {
            groups.computeIfAbsent(p.name() + "\0" + p.architecture(), k -> new ArrayList<>()).add(p);
        }
        List<AptPackage> kept = new ArrayList<>();
        for (List<AptPackage> group : groups.values()) {
            group.sort((a, b) -> DebianVersion.compare(b.version(), a.version()));
            kept.addAll(group.subList(0, Math.min(keep, group.size())));
        }
        kept.sort(AptPackage.ORDER);
        return kept;
    }

    /**
     * {@code .cutter/apt/collectable}: pool files that may have lost their last reference, one
     * per line. A file is noted before it can become unreferenced (a new pool file before it is
     * copied in, a package before a state drops it), so a crash anywhere leaves no pool file the
     * next publish does not see; publish deletes those no state names and empties the list. The
     * pool itself is never walked: its size does not weigh on a publish.
     */
    private Path collectableFile() {
        return root.resolve(STATE).resolve("collectable");
    }

    /** Notes {@code filenames} (pool paths relative to the root) as collectable, durably. */
    private void noteCollectable(List<String> filenames) throws IOException {
        if (filenames.isEmpty()) {
            return;
        }
        StringBuilder lines = new StringBuilder();
        filenames.forEach(f -> lines.append(f).append('\n'));
        Path file = collectableFile();
        boolean created = !Files.exists(file);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        }
        if (created) {
            Staging.syncDirectory(file.getParent());
        }
    }

    /** What {@link #noteCollectable} noted since the last publish. */
    private Set<String> collectable() throws IOException {
        Path file = collectableFile();
        if (!Files.exists(file)) {
            return Set.of();
        }
        Set<String> names = new HashSet<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isEmpty()) {
                names.add(line);
            }
        }
        return names;
    }

    /**
     * Deletes the collectable pool files that no state names, then the directories they leave
     * empty, then the list: after the switch, so a published index never names a missing file.
     */
    private void collect(Set<String> collectable, Set<String> referenced) throws IOException {
        Path pool = root.resolve("pool");
        for (String filename : new TreeSet<>(collectable)) {
            if (referenced.contains(filename)) {
                continue;
            }
            Path file;
            try {
                file = Confined.resolve(root, filename);
            } catch (Confined.OutsideRootException e) {
                continue; // not a name Cutter wrote: nothing of the pool
            }
            if (!file.startsWith(pool) || !Files.deleteIfExists(file)) {
                continue;
            }
            for (Path dir = file.getParent(); !dir.equals(pool) && dir.startsWith(pool); dir = dir.getParent()) {
                try {
                    Files.delete(dir);
                } catch (java.nio.file.DirectoryNotEmptyException | NoSuchFileException e) {
                    break;
                }
            }
        }
        Files.deleteIfExists(collectableFile());
    }

    // ---- state: one Packages-format file per distribution and component

    private Path stateDir(String dist) {
        return root.resolve(STATE).resolve("state").resolve(dist);
    }

    /** The component's packages, read from its state file (never from the .deb files). */
    List<AptPackage> load(String dist, String component) throws IOException {
        Path file = stateDir(dist).resolve(component);
        if (!Files.exists(file)) {
            return new ArrayList<>();
        }
        List<AptPackage> packages = new ArrayList<>();
        try (PackagesFile in = PackagesFile.open(file)) {
            for (AptPackage p; (p = in.next()) != null; ) {
                packages.add(p);
            }
        }
        packages.sort(AptPackage.ORDER);
        return packages;
    }

    /**
     * The packages of the component's state that have the key of one of {@code wanted}, by key: one
     * pass over the state, holding only what matches.
     */
    private Map<String, AptPackage> present(String dist, String component, List<AptPackage> wanted) throws IOException {
        Set<String> keys = new HashSet<>();
        Set<String> names = new HashSet<>();
        wanted.forEach(p -> {
            keys.add(key(p));
            names.add(p.name());
        });
        Map<String, AptPackage> found = new HashMap<>();
        try (PackagesFile in = PackagesFile.open(stateDir(dist).resolve(component))) {
            for (String text; (text = in.nextText()) != null; ) {
                String name = PackagesFile.field(text, "Package");
                if (name != null && !names.contains(name)) {
                    continue; // another package: not parsed
                }
                AptPackage p = in.parsed();
                String k = key(p);
                if (keys.contains(k)) {
                    found.put(k, p);
                }
            }
        }
        return found;
    }

    /**
     * Writes the component's state again in one pass, holding one package name's versions at a
     * time: {@code additions} (in {@link AptPackage#ORDER}, none already there) are merged in,
     * and each name's packages become what {@code perName} makes of them. Names {@code touches}
     * refuses, which perName leaves as they are, are copied without being parsed when no addition
     * has their name. The state is replaced only if something changed.
     */
    private void rewrite(String dist, String component, List<AptPackage> additions,
            java.util.function.Predicate<String> touches,
            java.util.function.UnaryOperator<List<AptPackage>> perName) throws IOException {
        if (additions.isEmpty() && !Files.exists(stateDir(dist).resolve(component))) {
            return; // nothing there, nothing added: no state to make
        }
        Path state = Files.createDirectories(stateDir(dist)).resolve(component);
        Path staged = staging.file(root, component);
        try {
            boolean changed = !additions.isEmpty();
            List<String> dropped = new ArrayList<>();
            try (PackagesFile in = PackagesFile.open(state);
                    FileChannel channel = FileChannel.open(staged, StandardOpenOption.WRITE);
                    OutputStream out = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel), 1 << 16)) {
                int next = 0;
                String text = in.nextText();
                AptPackage current = null; // text, parsed when it has to be
                List<AptPackage> group = new ArrayList<>();
                Map<AptPackage, String> texts = new java.util.IdentityHashMap<>(); // the state's stanzas, copied as they are
                while (text != null || next < additions.size()) {
                    if (text != null && current == null) {
                        // a name perName leaves alone, with nothing to merge before it: copied, not parsed
                        String name = PackagesFile.field(text, "Package");
                        if (name != null && !touches.test(name) && (group.isEmpty() || !group.get(0).name().equals(name))
                                && (next == additions.size() || additions.get(next).name().compareTo(name) > 0)) {
                            changed |= flush(group, texts, perName, out, dropped);
                            PackagesFile.write(text, out);
                            text = in.nextText();
                            continue;
                        }
                        current = in.parsed();
                    }
                    AptPackage p;
                    if (text == null || (next < additions.size() && AptPackage.ORDER.compare(additions.get(next), current) < 0)) {
                        p = additions.get(next++);
                    } else {
                        p = current;
                        texts.put(p, text);
                        text = in.nextText();
                        current = null;
                    }
                    if (!group.isEmpty() && !group.get(0).name().equals(p.name())) {
                        changed |= flush(group, texts, perName, out, dropped);
                    }
                    group.add(p);
                }
                changed |= flush(group, texts, perName, out, dropped);
                out.flush();
                channel.force(true);
            }
            if (changed) {
                noteCollectable(dropped); // before the state stops naming them
                Staging.move(staged, state);
            }
        } finally {
            Files.deleteIfExists(staged);
        }
    }

    /**
     * Writes what {@code perName} keeps of one name's packages, in order, adding the pool files of
     * those it drops to {@code dropped}; true when it kept fewer.
     */
    private static boolean flush(List<AptPackage> group, Map<AptPackage, String> texts,
            java.util.function.UnaryOperator<List<AptPackage>> perName, OutputStream out, List<String> dropped) throws IOException {
        if (group.isEmpty()) {
            return false;
        }
        List<AptPackage> kept = new ArrayList<>(perName.apply(List.copyOf(group)));
        kept.sort(AptPackage.ORDER);
        for (AptPackage p : kept) {
            String text = texts.get(p);
            PackagesFile.write(text != null ? text : p.indexStanza(), out);
        }
        boolean changed = kept.size() != group.size();
        if (changed) {
            Set<AptPackage> keptOnes = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            keptOnes.addAll(kept);
            group.stream().filter(p -> !keptOnes.contains(p)).forEach(p -> dropped.add(p.filename()));
        }
        group.clear();
        texts.clear();
        return changed;
    }

    /** A field of the stanza {@code in} read last, looked up without parsing it when spelled as Cutter writes it. */
    private static String field(PackagesFile in, String text, String name, java.util.function.Function<AptPackage, String> parsed) {
        String value = PackagesFile.field(text, name);
        return value != null ? value : parsed.apply(in.parsed());
    }

    private static String key(AptPackage p) {
        return p.name() + "\0" + DebianVersion.parse(p.version()) + "\0" + p.architecture();
    }

    private static String describe(AptPackage p) {
        return p.name() + " " + p.version() + " (" + p.architecture() + ")";
    }

    // ---- files

    /**
     * Copies a .deb to its pool path through a temporary file, checking the copy's SHA-256 against
     * what was indexed (the source must not change in between). A pool file already there with the
     * same bytes is kept; with other bytes the add is refused.
     */
    private void copyIntoPool(Path source, AptPackage pooled) throws IOException {
        Path target = Confined.resolve(root, pooled.filename());
        if (Files.exists(target)) {
            Digests existing = Digests.of(target);
            if (existing.sha256().equals(pooled.sha256())) {
                return;
            }
            throw new PackageExistsException(source.toString(), "the pool of " + root + " (" + pooled.filename() + ")",
                    describe(pooled), existing.sha256(), pooled.sha256());
        }
        Files.createDirectories(target.getParent());
        Path tmp = staging.file(root, target.getFileName().toString());
        try {
            MessageDigest sha256 = Digests.digest("SHA-256");
            try (InputStream in = new DigestInputStream(Files.newInputStream(source), sha256);
                    FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                in.transferTo(java.nio.channels.Channels.newOutputStream(out));
                out.force(true);
            }
            String copied = HexFormat.of().formatHex(sha256.digest());
            if (!copied.equals(pooled.sha256())) {
                throw new IOException(source + " changed while it was added (SHA256 " + pooled.sha256() + " when read, "
                        + copied + " when copied); add it again once it is complete");
            }
            Staging.move(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The Packages file of an index directory as a stream, decompressing .xz or .gz when the plain one is not published; null if none. */
    private static InputStream openIndex(Path dir, String name) throws IOException {
        if (Files.isRegularFile(dir.resolve(name))) {
            return Files.newInputStream(dir.resolve(name));
        }
        if (Files.isRegularFile(dir.resolve(name + ".xz"))) {
            return new XZInputStream(new java.io.BufferedInputStream(Files.newInputStream(dir.resolve(name + ".xz")), 1 << 16));
        }
        if (Files.isRegularFile(dir.resolve(name + ".gz"))) {
            return new GZIPInputStream(Files.newInputStream(dir.resolve(name + ".gz")), 1 << 16);
        }
        return null;
    }

    private static Digests digests(Path file, Map<Path, Digests> seen) throws IOException {
        Path real;
        try {
            real = file.toRealPath();
        } catch (NoSuchFileException e) {
            return null;
        }
        if (!Files.isRegularFile(real)) {
            return null;
        }
        Digests known = seen.get(real);
        if (known == null) {
            known = Digests.of(real);
            seen.put(real, known);
        }
        return known;
    }

    private static void checkDigests(String shown, Digests expected, Digests actual, String by, List<String> problems) {
        if (expected.size() != actual.size()) {
            problems.add(shown + " is " + actual.size() + " bytes, " + by + " says " + expected.size());
            return;
        }
        List<String> differing = new ArrayList<>();
        for (int i = 0; i < Digests.NAMES.size(); i++) {
            String want = expected.all().get(i);
            if (want != null && !want.equals(actual.all().get(i))) {
                differing.add(Digests.NAMES.get(i) + " " + actual.all().get(i) + " (" + by + " says " + want + ")");
            }
        }
        if (!differing.isEmpty()) {
            problems.add(shown + " has " + String.join(", ", differing));
        }
    }

    private static void writeDurably(Path file, byte[] data) throws IOException {
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            PublishedFiles.makeReadable(file); // served as it is, whatever the umask
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(data);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        }
    }

    private static void link(Path existing, Path link) throws IOException {
        try {
            Files.createLink(link, existing);
        } catch (UnsupportedOperationException | IOException e) {
            Files.copy(existing, link, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Names in a directory, sorted, without hidden ones and temporary files; empty if it does not exist. */
    private static List<String> children(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (!name.startsWith(".")) {
                    names.add(name);
                }
            }
        }
        names.sort(null);
        return names;
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.length() < 18 && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** Distribution, component and architecture names become directory names: letters, digits, '.', '_', '-', '+'. */
    static void checkName(String what, String name) {
        boolean ok = name != null && !name.isEmpty() && name.charAt(0) != '.' && name.charAt(0) != '-';
        for (int i = 0; ok && i < name.length(); i++) {
            char c = name.charAt(i);
            ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
                    || c == '-' || c == '+';
        }
        if (!ok) {
            throw new IllegalArgumentException("'" + name + "' is not a usable " + what
                    + " name: letters, digits, '.', '_', '-', '+', not starting with '.' or '-'");
        }
    }

    /** The repository's lock, {@code .cutter/apt/lock}: one change at a time, across threads and processes. */
    private TreeLock lock() throws IOException {
        return TreeLock.acquire(root.resolve(STATE).resolve("lock"));
    }
}
