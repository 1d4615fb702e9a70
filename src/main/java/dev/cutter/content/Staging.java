package dev.cutter.content;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where Cutter makes a file before it appears where others read it (dist/, a package repository,
 * a release store, a checkout), and the one way it moves it into place. A file is written whole in
 * a staging area of Cutter's own, then renamed over its target in one step ({@code rename(2)} is
 * atomic within one file system): a reader, or a process killed halfway, sees the old file or the
 * new one, never half of one, and never a temporary file among the published ones.
 *
 * <p>A staging belongs to an owner, a run (its id) or a process, and its areas carry the owner's
 * name, so that whoever comes after a crash finds them:
 * <ul>
 * <li>{@code PROJECT/.cutter/staging/OWNER/}, for every tree on the project's file system;</li>
 * <li>{@code .cutter-staging-OWNER/} beside a tree on another file system (a repository published
 *     to its own mount), named in {@code PROJECT/.cutter/staging/OWNER.elsewhere} before it is made;
 *     inside the tree, when the tree is the top of its file system (no rename could leave it).</li>
 * </ul>
 * {@link #close} removes them when the owner is done; {@link #remove} removes what a killed owner
 * left (a resumed run, its killed attempt's), and {@link #sweep} what every owner known to be gone left.
 */
public final class Staging implements AutoCloseable {
    /** An area beside a tree on another file system: {@code .cutter-staging-OWNER}. */
    public static final String BESIDE = ".cutter-staging-";
    /** Where a project's areas are, relative to the project. */
    public static final Path HOME = Path.of(".cutter", "staging");
    private static final String ELSEWHERE = ".elsewhere";
    private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");
    /** A process's owner name: {@code p<pid>-<start, ms since the epoch>-<host>}. */
    private static final Pattern PROCESS = Pattern.compile("p(\\d+)-(\\d+)-(.+)");
    private static final int MAX_HINT = 100;

    /** Fills a staged file that will become the target. */
    @FunctionalInterface
    public interface Writer {
        void write(Path staged) throws IOException;
    }

    private final Path project;
    private final String owner;
    private final Path home;
    /** The area chosen for each tree, by the tree's directory. */
    private final Map<Path, Path> areas = new ConcurrentHashMap<>();

    private Staging(Path project, String owner) {
        this.project = project.toAbsolutePath().normalize();
        this.owner = checkOwner(owner);
        this.home = this.project.resolve(HOME).resolve(owner);
    }

    /** The staging of run {@code runId} of the project in {@code project}; the run removes it when it ends. */
    public static Staging forRun(Path project, String runId) {
        return new Staging(project, runId);
    }

    /**
     * A staging owned by this process, for work outside any run ({@code cutter repo},
     * {@code cutter releases prune}); {@link #close} removes it. What ended processes of this
     * machine left in {@code project} is removed first.
     */
    public static Staging forProcess(Path project) throws IOException {
        sweep(project, owner -> false);
        ProcessHandle self = ProcessHandle.current();
        long start = self.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
        return new Staging(project, "p" + self.pid() + "-" + start + "-" + Host.NAME);
    }

    public String owner() {
        return owner;
    }

    /** A new empty file for the tree {@code tree}, readable by all (0644) as published files are; {@code hint} names it for people. */
    public Path file(Path tree, String hint) throws IOException {
        return PublishedFiles.makeReadable(Files.createTempFile(area(tree), hint(hint) + ".", ".staged"));
    }

    /** A new empty directory for the tree {@code tree}, with the default permissions of new directories. */
    public Path directory(Path tree, String hint) throws IOException {
        return Files.createDirectory(name(tree, hint));
    }

    /** A path for the tree {@code tree} that nothing has yet: where to make a link or move a directory aside. */
    public Path name(Path tree, String hint) throws IOException {
        return area(tree).resolve(hint(hint) + "." + UUID.randomUUID() + ".staged");
    }

    /** Writes {@code target} whole: {@code writer} fills a staged file, which is then moved over it; the staged file never outlives the call. */
    public void write(Path target, Writer writer) throws IOException {
        write(target.toAbsolutePath().getParent(), target, writer);
    }

    /** As {@link #write(Path, Writer)}, for a target in the tree {@code tree} (the root of a repository, say). */
    public void write(Path tree, Path target, Writer writer) throws IOException {
        fillThenMove(file(tree, target.getFileName().toString()), target, writer);
    }

    /**
     * Replaces a private file of the user's own (a registry login file) as the tools that share it
     * do: a temporary file beside it, 0600 as created, filled by {@code writer}, then renamed over
     * it. Never for a tree others read, whose files are staged: here a reader must find the file
     * where it always is, and nothing but its owner may read it while it is written.
     */
    public static void replaceBeside(Path target, Writer writer) throws IOException {
        fillThenMove(Files.createTempFile(target.toAbsolutePath().getParent(), "." + target.getFileName(), ".tmp"), target, writer);
    }

    /** {@code writer} fills {@code temp}, which is then moved over {@code target}; gone either way. */
    private static void fillThenMove(Path temp, Path target, Writer writer) throws IOException {
        try {
            writer.write(temp);
            move(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Renames {@code staged} over {@code target} in one step, then syncs the directory so the new
     * name survives a crash too. Refused where that cannot be done in one step, rather than risk half a file.
     */
    public static void move(Path staged, Path target) throws IOException {
        try {
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot move " + staged + " to " + target + " in one step: they are on different file systems,"
                    + " or this one cannot rename atomically", e);
        }
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /** Makes a directory's entries (a new file, a rename) durable, where the platform can. */
    public static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every file system lets a directory be synced; the rename is done either way
        }
    }

    /** Removes every area of this staging: its owner is done, and nothing it staged is needed any more. */
    @Override
    public void close() throws IOException {
        remove(project, owner);
    }

    /** Removes every area {@code owner} has in {@code project}: its home, the areas its list names, the list. */
    public static void remove(Path project, String owner) throws IOException {
        checkOwner(owner);
        Path staging = project.toAbsolutePath().normalize().resolve(HOME);
        Path list = staging.resolve(owner + ELSEWHERE);
        if (Files.isRegularFile(list)) {
            for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                Path area = Path.of(line);
                if (area.isAbsolute() && area.getFileName().toString().equals(BESIDE + owner)) { // only what this owner named so
                    FileTrees.delete(area);
                }
            }
        }
        FileTrees.delete(staging.resolve(owner));
        Files.deleteIfExists(list);
    }

    /** The owners whose areas are in {@code project}: at work now, or gone without removing them. */
    public static Set<String> owners(Path project) throws IOException {
        Path staging = project.toAbsolutePath().normalize().resolve(HOME);
        Set<String> owners = new TreeSet<>();
        if (!Files.isDirectory(staging)) {
            return owners;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(staging)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                String owner = name.endsWith(ELSEWHERE) ? name.substring(0, name.length() - ELSEWHERE.length()) : name;
                if (OWNER.matcher(owner).matches()) {
                    owners.add(owner);
                }
            }
        }
        return owners;
    }

    /**
     * Removes what gone owners left in {@code project}: processes of this machine that have
     * ended, and runs {@code over} says are over (a run's liveness is the ledger's to tell). An
     * owner neither can vouch for (a process of another machine) is left alone.
     */
    public static void sweep(Path project, Predicate<String> over) throws IOException {
        for (String owner : owners(project)) {
            if (processEnded(owner).orElseGet(() -> over.test(owner))) {
                remove(project, owner);
            }
        }
    }

    /** For a process's owner name: whether that process has ended (empty: not a process, or not of this machine). */
    static Optional<Boolean> processEnded(String owner) {
        Matcher m = PROCESS.matcher(owner);
        if (!m.matches()) {
            return Optional.empty();
        }
        if (!m.group(3).equals(Host.NAME)) {
            return Optional.empty();
        }
        long pid = Long.parseLong(m.group(1));
        long start = Long.parseLong(m.group(2));
        boolean running = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .flatMap(p -> p.info().startInstant()).map(s -> s.toEpochMilli() == start).orElse(false);
        return Optional.of(!running);
    }

    /** The area for files bound for {@code tree}: the project's home when on its file system, else beside the tree. */
    private Path area(Path tree) throws IOException {
        Path dir = tree.toAbsolutePath().normalize();
        Path area = areas.get(dir);
        if (area == null) {
            if (sameFileSystem(dir, home)) {
                area = home;
            } else {
                Path parent = dir.getParent();
                area = parent != null && sameFileSystem(parent, dir) ? parent.resolve(BESIDE + owner) : dir.resolve(BESIDE + owner);
                note(area);
            }
            areas.put(dir, area);
        }
        return Files.createDirectories(area);
    }

    /** Names {@code area} in the owner's list before it exists, so that a crash cannot leave it unlisted. */
    private void note(Path area) throws IOException {
        Path list = Files.createDirectories(project.resolve(HOME)).resolve(owner + ELSEWHERE);
        Files.writeString(list, area + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE, StandardOpenOption.SYNC);
    }

    private static boolean sameFileSystem(Path a, Path b) throws IOException {
        return store(a).equals(store(b));
    }

    /** The file store of {@code path}, or of its nearest ancestor that exists. */
    private static FileStore store(Path path) throws IOException {
        Path existing = path;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return Files.getFileStore(existing == null ? path.getRoot() : existing);
    }

    private static String hint(String hint) {
        String plain = hint.replaceAll("[^A-Za-z0-9._+-]", "_");
        return plain.length() > MAX_HINT ? plain.substring(0, MAX_HINT) : plain;
    }

    private static String checkOwner(String owner) {
        if (owner == null || !OWNER.matcher(owner).matches()) {
            throw new IllegalArgumentException("'" + owner + "' cannot name a staging area: letters, digits, '.', '_', '@', '-'");
        }
        return owner;
    }

    /** This machine's name, as a staging owner's name can hold it. */
    private static final class Host {
        static final String NAME = name();

        private static String name() {
            try {
                return java.net.InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9.-]", "_");
            } catch (IOException e) {
                return "localhost";
            }
        }
    }

    @Override
    public String toString() {
        return "Staging[" + owner + " in " + project + "]";
    }
}
