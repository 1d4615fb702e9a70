package dev.cutter.repo.apt;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Indexes .deb files without a repository around them, as {@code apt-ftparchive packages} and
 * {@code dpkg-scanpackages} do: the entry points the {@code cutter repo} commands and the
 * benchmarks call (through {@code cutter repo index}, so a whole-process timing includes the
 * JVM start like the C and Perl tools' timings do).
 */
public final class AptIndexer {
    private AptIndexer() {}

    /**
     * Reads one .deb in a single pass: its control stanza, size and digests. {@code filename} is
     * what the index will call it (relative to the repository root).
     *
     * @throws IOException naming the file when it is not a readable Debian package
     */
    public static AptPackage read(Path deb, String filename) throws IOException {
        return DebReader.read(deb, filename);
    }

    /**
     * Every {@code *.deb} under {@code directory}, read on {@code threads} threads (the number of
     * processors when 0), each listed with its path relative to {@code base}, in {@link AptPackage#ORDER}.
     */
    public static List<AptPackage> scan(Path directory, Path base, int threads) throws IOException {
        List<AptPackage> packages = new ArrayList<>();
        scan(directory, base, threads, packages::add);
        packages.sort(AptPackage.ORDER);
        return packages;
    }

    /** What is done with each package read, on the calling thread. */
    @FunctionalInterface
    interface Each {
        void accept(AptPackage p) throws IOException;
    }

    /**
     * Every {@code *.deb} under {@code directory}, read on {@code threads} threads (the number of
     * processors when 0) and given to {@code each} one at a time in the order of their paths,
     * listed relative to {@code base}: only the packages being read are held, however many there are.
     */
    static void scan(Path directory, Path base, int threads, Each each) throws IOException {
        List<Path> debs;
        try (Stream<Path> walk = Files.walk(directory)) {
            debs = walk.filter(p -> p.getFileName().toString().endsWith(".deb") && Files.isRegularFile(p)).sorted().toList();
        }
        Path absoluteBase = base.toAbsolutePath().normalize();
        readEach(debs, debs.stream().map(deb -> relative(absoluteBase, deb)).toList(), threads, each);
    }

    /** Reads the given .deb files in parallel, in {@link AptPackage#ORDER}; the first failure is thrown. */
    public static List<AptPackage> read(List<Path> debs, Path base, int threads) throws IOException {
        Path absoluteBase = base.toAbsolutePath().normalize();
        List<String> filenames = debs.stream().map(deb -> relative(absoluteBase, deb)).toList();
        List<AptPackage> packages = new ArrayList<>(readInOrder(debs, filenames, threads));
        packages.sort(AptPackage.ORDER);
        return packages;
    }

    /** Reads {@code debs[i]} as {@code filenames[i]} on {@code threads} threads (processors when 0), results in input order. */
    static List<AptPackage> readInOrder(List<Path> debs, List<String> filenames, int threads) throws IOException {
        List<AptPackage> packages = new ArrayList<>(debs.size());
        readEach(debs, filenames, threads, packages::add);
        return packages;
    }

    /**
     * Reads {@code debs[i]} as {@code filenames[i]} on {@code threads} threads (processors when 0)
     * and gives each to {@code each} in input order; at most a few packages per thread are read
     * ahead of the one {@code each} is given, so memory does not grow with the number of files.
     */
    static void readEach(List<Path> debs, List<String> filenames, int threads, Each each) throws IOException {
        int n = Math.max(1, Math.min(threads > 0 ? threads : Runtime.getRuntime().availableProcessors(), debs.size()));
        if (n == 1) {
            for (int i = 0; i < debs.size(); i++) {
                each.accept(read(debs.get(i), filenames.get(i)));
            }
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(n, runnable -> {
            Thread t = new Thread(runnable, "deb-reader");
            t.setDaemon(true);
            return t;
        });
        try {
            int window = 4 * n;
            java.util.ArrayDeque<Future<AptPackage>> ahead = new java.util.ArrayDeque<>(window);
            int submitted = 0;
            while (submitted < debs.size() || !ahead.isEmpty()) {
                while (submitted < debs.size() && ahead.size() < window) {
                    Path deb = debs.get(submitted);
                    String filename = filenames.get(submitted);
                    ahead.add(pool.submit(() -> read(deb, filename)));
                    submitted++;
                }
                each.accept(ahead.poll().get());
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading packages", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Writes a Packages index of {@code packages} (sorted by {@link AptPackage#ORDER} first), each stanza followed by a blank line, as apt-ftparchive writes it. */
    public static void writePackages(Collection<AptPackage> packages, OutputStream out) throws IOException {
        List<AptPackage> sorted = new ArrayList<>(packages);
        sorted.sort(AptPackage.ORDER);
        for (AptPackage p : sorted) {
            PackagesFile.write(p, out);
        }
    }


    private static String relative(Path base, Path deb) {
        return base.relativize(deb.toAbsolutePath().normalize()).toString();
    }

    /**
     * {@code packages <directory> [<base>]}: prints the Packages index of every .deb under the
     * directory, file names relative to base (default: the current directory), like
     * {@code apt-ftparchive packages}.
     */
}
