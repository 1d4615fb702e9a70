package dev.cutter.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite's native library, unpacked once into the user's cache from the driver's own jar (the
 * real one on the test class path), found there the next time without being written again, and
 * never taken from a cache directory others may write to.
 */
class SqliteLibraryTest {
    @TempDir
    Path home;

    @Test
    void theLibraryIsUnpackedOnceAndFoundAfterwards() throws Exception {
        Path root = SqliteLibrary.cacheRoot(Map.of("HOME", home.toString())).orElseThrow();
        assertThat(root).isEqualTo(home.resolve(".cache/cutter"));

        Path library = SqliteLibrary.cached(root).orElseThrow();
        assertThat(library).startsWith(root.resolve("sqlite-jdbc"));
        assertThat(library.getParent().getFileName().toString()).startsWith(org.sqlite.SQLiteJDBCLoader.getVersion() + "-");
        String folder = org.sqlite.util.LibraryLoaderUtil.getNativeLibResourcePath();
        try (InputStream in = org.sqlite.SQLiteJDBCLoader.class.getResourceAsStream(
                (folder.startsWith("/") ? folder : "/" + folder) + "/" + library.getFileName())) {
            assertThat(in).isNotNull();
            assertThat(crc(Files.readAllBytes(library))).isEqualTo(crc(in.readAllBytes()));
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(library.getParent()))).isEqualTo("rwx------");

        var written = Files.getLastModifiedTime(library);
        Object inode = Files.readAttributes(library, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        assertThat(SqliteLibrary.cached(root)).contains(library);
        assertThat(Files.getLastModifiedTime(library)).isEqualTo(written);
        assertThat(Files.readAttributes(library, java.nio.file.attribute.BasicFileAttributes.class).fileKey()).isEqualTo(inode);
        try (var left = Files.list(library.getParent())) {
            assertThat(left).as("no partial file left behind").containsExactly(library);
        }
    }

    @Test
    void aCacheOthersMayWriteToIsNotUsed() throws Exception {
        Path root = home.resolve("shared");
        Files.createDirectories(root);
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(SqliteLibrary.cached(root)).isEmpty();
        try (var made = Files.list(root)) {
            assertThat(made).isEmpty();
        }
    }

    @Test
    void noCacheWithoutAHome() {
        assertThat(SqliteLibrary.cacheRoot(Map.of())).isEqualTo(Optional.empty());
        assertThat(SqliteLibrary.cacheRoot(Map.of("HOME", "relative"))).isEmpty();
        assertThat(SqliteLibrary.cacheRoot(Map.of("XDG_CACHE_HOME", "/x", "HOME", "/h"))).contains(Path.of("/x/cutter"));
    }

    private static long crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }
}
