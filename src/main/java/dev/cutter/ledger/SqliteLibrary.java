package dev.cutter.ledger;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * SQLite's native library, kept in the user's cache directory instead of unpacked at every start.
 * The JDBC driver, left alone, copies the library out of the jar into {@code java.io.tmpdir} under
 * a new name each time a process opens a database (1 MB written), then compares the copy with the
 * jar's byte by byte, one call per byte: a noticeable part of a short command's start. Here the
 * library is unpacked once per driver build into {@code $XDG_CACHE_HOME/cutter/sqlite-jdbc/}
 * (else {@code ~/.cache/cutter/…}), in a directory named by the driver's version and the CRC-32
 * of the jar's copy (read in bulk through the class loader, a few milliseconds), checked against
 * that CRC as it is written and renamed into place whole; the driver is pointed at it
 * ({@code org.sqlite.lib.path}). A cache directory that others may write to, or any failure,
 * leaves the driver to do as it does by itself.
 */
final class SqliteLibrary {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static volatile boolean prepared;

    private SqliteLibrary() {}

    /** Points the driver at the cached library, unpacking it first if needed; once per process. */
    static void prepare(Map<String, String> environment) {
        if (prepared) {
            return;
        }
        synchronized (SqliteLibrary.class) {
            if (!prepared && System.getProperty("org.sqlite.lib.path") == null) {
                cacheRoot(environment).flatMap(SqliteLibrary::cached).ifPresent(library -> {
                    System.setProperty("org.sqlite.lib.path", library.getParent().toString());
                    System.setProperty("org.sqlite.lib.name", library.getFileName().toString());
                });
            }
            prepared = true;
        }
    }

    /** {@code $XDG_CACHE_HOME/cutter}, else {@code $HOME/.cache/cutter}, when either is set (and absolute). */
    static Optional<Path> cacheRoot(Map<String, String> environment) {
        String xdg = environment.getOrDefault("XDG_CACHE_HOME", "");
        if (xdg.startsWith("/")) {
            return Optional.of(Path.of(xdg, "cutter"));
        }
        String home = environment.getOrDefault("HOME", "");
        return home.startsWith("/") ? Optional.of(Path.of(home, ".cache", "cutter")) : Optional.empty();
    }

    /** The driver's library for this machine under {@code root}, unpacked if it is not there yet; empty when it cannot be. */
    static Optional<Path> cached(Path root) {
        try {
            String name = org.sqlite.util.LibraryLoaderUtil.getNativeLibName();
            String folder = org.sqlite.util.LibraryLoaderUtil.getNativeLibResourcePath();
            String resource = (folder.startsWith("/") ? folder : "/" + folder) + "/" + name;
            // read through the class loader's own open jar: a JarURLConnection would open and index the jar a second time
            OptionalLong crc = crc(resource, null);
            if (crc.isEmpty()) {
                return Optional.empty(); // no library for this platform in the jar: the driver says what is wrong
            }
            Path dir = root.resolve("sqlite-jdbc").resolve(org.sqlite.SQLiteJDBCLoader.getVersion().replaceAll("[^A-Za-z0-9.-]", "_")
                    + "-" + String.format(Locale.ROOT, "%08x", crc.getAsLong()));
            Path library = dir.resolve(name);
            if (!ownedPrivately(root) || !ownedPrivately(root.resolve("sqlite-jdbc")) || !ownedPrivately(dir)) {
                return Optional.empty();
            }
            if (Files.isRegularFile(library, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.of(library); // written whole and checked, then renamed into place
            }
            Path part = Files.createTempFile(dir, name, ".part");
            try {
                if (!crc(resource, part).equals(crc)) {
                    return Optional.empty();
                }
                try {
                    Files.move(part, library, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    return Optional.empty();
                }
                return Optional.of(library);
            } finally {
                Files.deleteIfExists(part);
            }
        } catch (IOException | RuntimeException | LinkageError e) {
            return Optional.empty(); // the driver unpacks it as it does by itself
        }
    }

    /** The CRC-32 of {@code resource} in the driver's jar, written to {@code into} on the way when given; empty when absent. */
    private static OptionalLong crc(String resource, Path into) throws IOException {
        try (InputStream in = org.sqlite.SQLiteJDBCLoader.class.getResourceAsStream(resource);
                OutputStream out = into == null ? OutputStream.nullOutputStream() : Files.newOutputStream(into)) {
            if (in == null) {
                return OptionalLong.empty();
            }
            CRC32 crc = new CRC32();
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                crc.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
            return OptionalLong.of(crc.getValue());
        }
    }

    /**
     * {@code dir} as a directory only this user may write to, made so when missing: a library
     * loaded from a place others could write would run their code.
     */
    private static boolean ownedPrivately(Path dir) throws IOException {
        try {
            Files.createDirectories(dir.getParent());
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException e) {
            // made before
        } catch (UnsupportedOperationException e) {
            return false; // no POSIX permissions here
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
        boolean othersWrite = permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE);
        return !othersWrite && Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"));
    }
}
