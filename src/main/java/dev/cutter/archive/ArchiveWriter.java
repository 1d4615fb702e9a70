package dev.cutter.archive;

import dev.cutter.content.Digest;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;

/**
 * Writes reproducible archives: the same files give the same bytes on any machine. Entries are
 * sorted with their parent directories first; every time is {@code mtime}; owners are 0 with no
 * names; gzip headers carry no time or name. Files stream through, never whole in memory, and
 * the archive is digested as it is written, then renamed into place so no reader ever sees half.
 */
public final class ArchiveWriter {
    /** DOS time in zip cannot hold anything before 1980-01-01; earlier source dates are clamped to it. */
    static final long ZIP_EPOCH = 315532800L;

    private ArchiveWriter() {}

    public static ArchiveResult write(ArchiveFormat format, List<ArchiveEntry> entries, long mtimeEpochSeconds, Path target)
            throws IOException {
        List<ArchiveEntry> sorted = new ArrayList<>(entries);
        sorted.sort(java.util.Comparator.comparing(ArchiveEntry::name));
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            Digest.Counting counting;
            try (OutputStream file = Files.newOutputStream(temp)) {
                counting = new Digest.Counting(new BufferedOutputStream(file, 1 << 16));
                switch (format) {
                    case TAR_GZ -> {
                        try (OutputStream gz = new ReproducibleGzip(counting)) {
                            tar(sorted, mtimeEpochSeconds, gz);
                        }
                    }
                    case TAR_ZST -> {
                        try (OutputStream zst = new ZstdCompressorOutputStream(counting, 3, true, true)) {
                            tar(sorted, mtimeEpochSeconds, zst);
                        }
                    }
                    case ZIP -> zip(sorted, Math.max(mtimeEpochSeconds, ZIP_EPOCH), counting);
                }
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new ArchiveResult(target, counting.digest(), counting.size());
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Every parent directory of the entries, sorted, so extraction creates them with a fixed mode. */
    static List<String> directories(List<ArchiveEntry> entries) {
        TreeSet<String> dirs = new TreeSet<>();
        for (ArchiveEntry e : entries) {
            String name = e.name();
            for (int slash = name.indexOf('/'); slash > 0; slash = name.indexOf('/', slash + 1)) {
                dirs.add(name.substring(0, slash + 1));
            }
        }
        return List.copyOf(dirs);
    }

    private static void tar(List<ArchiveEntry> entries, long mtime, OutputStream out) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        FileTime time = FileTime.from(java.time.Instant.ofEpochSecond(mtime));
        List<String> order = new ArrayList<>(directories(entries));
        entries.forEach(e -> order.add(e.name()));
        order.sort(null);
        var byName = new java.util.HashMap<String, ArchiveEntry>();
        entries.forEach(e -> byName.put(e.name(), e));
        for (String name : order) {
            ArchiveEntry file = byName.get(name);
            TarArchiveEntry entry = new TarArchiveEntry(name, file == null ? TarArchiveEntry.LF_DIR : TarArchiveEntry.LF_NORMAL, true);
            entry.setModTime(time);
            entry.setUserId(0);
            entry.setGroupId(0);
            entry.setUserName("");
            entry.setGroupName("");
            if (file == null) {
                entry.setMode(040755);
                tar.putArchiveEntry(entry);
            } else {
                entry.setMode(0100000 | file.mode());
                entry.setSize(Files.size(file.source()));
                tar.putArchiveEntry(entry);
                try (InputStream in = Files.newInputStream(file.source())) {
                    in.transferTo(tar);
                }
            }
            tar.closeArchiveEntry();
        }
        tar.finish();
    }

    private static void zip(List<ArchiveEntry> entries, long mtime, OutputStream out) throws IOException {
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out)) {
            zipEntries(zip, entries, mtime);
        }
    }

    private static void zipEntries(ZipArchiveOutputStream zip, List<ArchiveEntry> entries, long mtime) throws IOException {
        zip.setLevel(Deflater.DEFAULT_COMPRESSION);
        zip.setUseZip64(org.apache.commons.compress.archivers.zip.Zip64Mode.AsNeeded);
        long time = mtime * 1000;
        List<String> order = new ArrayList<>(directories(entries));
        entries.forEach(e -> order.add(e.name()));
        order.sort(null);
        var byName = new java.util.HashMap<String, ArchiveEntry>();
        entries.forEach(e -> byName.put(e.name(), e));
        for (String name : order) {
            ArchiveEntry file = byName.get(name);
            ZipArchiveEntry entry = new ZipArchiveEntry(name);
            // local time in the DOS fields, fixed: no extended timestamp field (it would carry the zone)
            entry.setTime(java.util.TimeZone.getDefault().getOffset(time) == 0 ? time : time - java.util.TimeZone.getDefault().getOffset(time));
            entry.setUnixMode(file == null ? 040755 : 0100000 | file.mode());
            zip.putArchiveEntry(entry);
            if (file != null) {
                try (InputStream in = Files.newInputStream(file.source())) {
                    in.transferTo(zip);
                }
            }
            zip.closeArchiveEntry();
        }
        zip.finish();
    }

    /** gzip with level 6, and a header without time or file name, OS byte 255 (unknown). */
    static final class ReproducibleGzip extends GZIPOutputStream {
        ReproducibleGzip(OutputStream out) throws IOException {
            super(new HeaderFixing(out), 1 << 16);
            def.setLevel(6);
        }
    }

    /** Rewrites the 10-byte gzip header as it passes: mtime 0, XFL 0, OS 255. */
    private static final class HeaderFixing extends java.io.FilterOutputStream {
        private int written;

        HeaderFixing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(fix(written++, b));
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (written >= 10) {
                out.write(b, off, len);
                written += len;
                return;
            }
            for (int i = 0; i < len; i++) {
                write(b[off + i]);
            }
        }

        private static int fix(int position, int b) {
            return switch (position) {
                case 4, 5, 6, 7, 8 -> 0;
                case 9 -> 255;
                default -> b;
            };
        }
    }
}
