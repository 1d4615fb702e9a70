package dev.cutter.archive;

import dev.cutter.content.Digest;
import dev.cutter.content.Staging;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;

/**
 * Writes reproducible archives: the same files give the same bytes on any machine. Entries are
 * sorted with their parent directories first; every time is {@code mtime}; owners are 0 with no
 * names; gzip headers carry no time or name. Files stream through, never whole in memory, and
 * the archive is digested as it is written in {@code staging}, then moved into place, so no reader
 * ever sees half of it, nor a temporary file beside it.
 */
public final class ArchiveWriter {
    /** DOS time in zip cannot hold anything before 1980-01-01; earlier source dates are clamped to it. */
    static final long ZIP_EPOCH = 315532800L;

    private ArchiveWriter() {}

    public static ArchiveResult write(ArchiveFormat format, List<ArchiveEntry> entries, long mtimeEpochSeconds, Path target,
            Staging staging) throws IOException {
        List<ArchiveEntry> sorted = new ArrayList<>(entries);
        sorted.sort(java.util.Comparator.comparing(ArchiveEntry::name));
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        AtomicReference<Digest.Counting> written = new AtomicReference<>();
        staging.write(target, temp -> {
            try (OutputStream file = Files.newOutputStream(temp)) {
                Digest.Counting counting = new Digest.Counting(new BufferedOutputStream(file, 1 << 16));
                written.set(counting);
                switch (format) {
                    case TAR_GZ -> {
                        try (OutputStream gz = new GzipCompressorOutputStream(counting, gzip())) {
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
        });
        return new ArchiveResult(target, written.get().digest(), written.get().size());
    }

    /** gzip level 6 with a header that carries no time, no name and an unknown OS: the same bytes anywhere. */
    public static GzipParameters gzip() {
        GzipParameters parameters = new GzipParameters();
        parameters.setCompressionLevel(6);
        parameters.setModificationTime(0);
        parameters.setOS(GzipParameters.OS.UNKNOWN);
        parameters.setBufferSize(1 << 16);
        return parameters;
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

    /** Directories (name ending in '/', no source) and files, sorted by name: the order both formats write. */
    private static List<ArchiveEntry> ordered(List<ArchiveEntry> files) {
        List<ArchiveEntry> all = new ArrayList<>(files);
        for (String dir : directories(files)) {
            all.add(new ArchiveEntry(dir, null, 0755));
        }
        all.sort(java.util.Comparator.comparing(ArchiveEntry::name));
        return all;
    }

    private static void tar(List<ArchiveEntry> entries, long mtime, OutputStream out) throws IOException {
        TarWriter tar = new TarWriter(out);
        for (ArchiveEntry entry : ordered(entries)) {
            if (entry.source() == null) {
                tar.directory(entry.name(), 0755, mtime);
            } else {
                try (InputStream in = Files.newInputStream(entry.source())) {
                    tar.file(entry.name(), entry.mode(), mtime, Files.size(entry.source()), in);
                }
            }
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
        for (ArchiveEntry e : ordered(entries)) {
            ArchiveEntry file = e.source() == null ? null : e;
            ZipArchiveEntry entry = new ZipArchiveEntry(e.name());
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
}
