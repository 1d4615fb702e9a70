package dev.cutter.sbom;

import com.github.luben.zstd.ZstdInputStream;
import dev.cutter.content.Digest;
import dev.cutter.pkg.rpm.RpmHeaders;
import dev.cutter.pkg.rpm.RpmTag;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * What a subject's bytes contain, read once as a stream: image layers in order (whiteouts
 * applied, as a container runtime unpacks them), or one archive. Each regular file that
 * {@code listed} selects gets its SHA-256 and SHA-1 as it flows by; package databases and
 * {@code os-release} are kept (they are small) and read at the end, as the final file system has
 * them.
 */
public final class Contents {
    /** The largest package database read; a larger one is left out of the SBOM, and said so. */
    static final int MAX_DATABASE = 256 << 20;

    private final Predicate<String> listed;
    private final Map<String, SbomFile> files = new TreeMap<>();
    private final Map<String, byte[]> databases = new TreeMap<>();
    private final List<String> skipped = new ArrayList<>();
    private byte[] osRelease;
    private String osReleasePath;

    /** @param listed which files (paths without a leading slash) the SBOM lists by digest */
    public Contents(Predicate<String> listed) {
        this.listed = listed;
    }

    /** The archive formats {@link #archive} reads, by file name. */
    public static boolean readable(String fileName) {
        return fileName.endsWith(".tar.gz") || fileName.endsWith(".tgz") || fileName.endsWith(".tar.zst")
                || fileName.endsWith(".tar") || fileName.endsWith(".zip");
    }

    /**
     * Reads the release file {@code file} of the kind {@code kind}: a package's files ({@link #pkg}),
     * an archive's ({@link #archive}, when {@link #readable}); a file of another kind or format adds nothing.
     */
    public void artifact(Path file, String kind) throws IOException {
        String name = file.getFileName().toString();
        try (InputStream in = Files.newInputStream(file)) {
            if (kind.equals("package")) {
                pkg(in, name);
            } else if (readable(name)) {
                archive(in, name);
            }
        }
    }

    /** Reads one image layer of {@code mediaType} (tar, gzip or zstd), over the layers read before it. */
    public void layer(InputStream in, String mediaType) throws IOException {
        InputStream raw = new BufferedInputStream(in, 1 << 16);
        InputStream plain = mediaType.endsWith("+gzip") || mediaType.endsWith(".gzip") ? new GZIPInputStream(raw, 1 << 16)
                : mediaType.endsWith("+zstd") ? new ZstdInputStream(raw) : raw;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(plain)) {
            read(tar, true);
        }
    }

    /**
     * Takes a layer from the listing made while it was written, over the layers read before it,
     * in place of reading it: its files replace what lower layers had at their paths (listed when
     * {@code listed} selects them), its links remove them. A listing has no whiteouts and no package
     * databases ({@link LayerListing#read} gives none for a layer holding one).
     */
    public void layer(LayerListing.Listed listing) {
        listing.others().forEach(this::remove);
        for (SbomFile file : listing.files()) {
            remove(file.path());
            if (listed.test(file.path())) {
                files.put(file.path(), file);
            }
        }
    }

    /** Reads an archive, {@code fileName} telling its format ({@link #readable}). */
    public void archive(InputStream in, String fileName) throws IOException {
        InputStream raw = new BufferedInputStream(in, 1 << 16);
        if (fileName.endsWith(".zip")) {
            try (ZipArchiveInputStream zip = new ZipArchiveInputStream(raw)) {
                read(zip, false);
            }
            return;
        }
        InputStream plain = fileName.endsWith(".tar.gz") || fileName.endsWith(".tgz") ? new GZIPInputStream(raw, 1 << 16)
                : fileName.endsWith(".tar.zst") ? new ZstdInputStream(raw) : raw;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(plain)) {
            read(tar, false);
        }
    }

    /**
     * Reads a package: a .deb's {@code data.tar} member (gzip, xz, zstd or plain), or an .rpm's
     * cpio payload (after its headers, compressed as {@code PAYLOADCOMPRESSOR} says).
     */
    public void pkg(InputStream in, String fileName) throws IOException {
        InputStream raw = new BufferedInputStream(in, 1 << 16);
        if (fileName.endsWith(".deb")) {
            try (ArArchiveInputStream ar = new ArArchiveInputStream(raw)) {
                for (ArArchiveEntry member; (member = ar.getNextEntry()) != null; ) {
                    String name = member.getName();
                    if (name.startsWith("data.tar")) {
                        try (TarArchiveInputStream tar = new TarArchiveInputStream(decompressed(nonClosing(ar), name))) {
                            read(tar, false);
                        }
                        return;
                    }
                }
            }
            throw new IOException(fileName + " has no data.tar member");
        }
        RpmHeaders headers = RpmHeaders.read(raw, fileName);
        String compressor = headers.header().string(RpmTag.PAYLOADCOMPRESSOR).orElse("gzip");
        try (CpioArchiveInputStream cpio = new CpioArchiveInputStream(decompressed(raw, "payload." + switch (compressor) {
            case "xz", "lzma" -> "xz";
            case "zstd" -> "zst";
            default -> "gz";
        }))) {
            read(cpio, false);
        }
    }

    private static InputStream decompressed(InputStream in, String name) throws IOException {
        if (name.endsWith(".gz")) {
            return new GZIPInputStream(in, 1 << 16);
        }
        if (name.endsWith(".xz")) {
            return new XZCompressorInputStream(in);
        }
        if (name.endsWith(".zst")) {
            return new ZstdInputStream(in);
        }
        return in;
    }

    private void read(ArchiveInputStream<? extends ArchiveEntry> entries, boolean layer) throws IOException {
        for (ArchiveEntry entry; (entry = entries.getNextEntry()) != null; ) {
            String path = clean(entry.getName());
            if (path.isEmpty()) {
                continue;
            }
            String name = path.substring(path.lastIndexOf('/') + 1);
            String dir = path.contains("/") ? path.substring(0, path.lastIndexOf('/') + 1) : "";
            if (layer && name.equals(".wh..wh..opq")) {
                removeUnder(dir); // an opaque directory hides what lower layers had in it
                continue;
            }
            if (layer && name.startsWith(".wh.")) {
                String gone = dir + name.substring(4);
                remove(gone);
                removeUnder(gone + "/");
                continue;
            }
            boolean regular = entry instanceof TarArchiveEntry t ? t.isFile() && !t.isLink() && !t.isSymbolicLink()
                    : entry instanceof org.apache.commons.compress.archivers.cpio.CpioArchiveEntry c ? c.isRegularFile()
                    : !entry.isDirectory();
            if (!regular) {
                if (!entry.isDirectory()) {
                    remove(path); // a link or device now stands where a file was
                }
                continue;
            }
            remove(path);
            boolean database = PackageDatabases.isDatabase(path);
            boolean release = path.equals("etc/os-release") || path.equals("usr/lib/os-release");
            if (database || release) {
                byte[] bytes = entries.readNBytes(MAX_DATABASE + 1);
                if (bytes.length > MAX_DATABASE) {
                    skipped.add("/" + path + " is larger than " + (MAX_DATABASE >> 20) + " MiB");
                } else if (database) {
                    databases.put(path, bytes);
                } else if (osRelease == null || path.equals("etc/os-release") || !"etc/os-release".equals(osReleasePath)) {
                    osRelease = bytes;
                    osReleasePath = path;
                }
                if (listed.test(path)) {
                    files.put(path, file(path, new java.io.ByteArrayInputStream(bytes)));
                }
            } else if (listed.test(path)) {
                files.put(path, file(path, entries));
            }
        }
    }

    private void remove(String path) {
        files.remove(path);
        databases.remove(path);
        if (path.equals(osReleasePath)) {
            osRelease = null;
            osReleasePath = null;
        }
    }

    private void removeUnder(String prefix) {
        files.keySet().removeIf(p -> p.startsWith(prefix));
        databases.keySet().removeIf(p -> p.startsWith(prefix));
        if (osReleasePath != null && osReleasePath.startsWith(prefix)) {
            osRelease = null;
            osReleasePath = null;
        }
    }

    private static SbomFile file(String path, InputStream in) throws IOException {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            long size;
            try (DigestInputStream both = new DigestInputStream(new DigestInputStream(nonClosing(in), sha256), sha1)) {
                size = both.transferTo(OutputStream.nullOutputStream());
            }
            HexFormat hex = HexFormat.of();
            return new SbomFile(path, new Digest(Digest.SHA256, hex.formatHex(sha256.digest())), hex.formatHex(sha1.digest()), size);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InputStream nonClosing(InputStream in) {
        return new java.io.FilterInputStream(in) {
            @Override
            public void close() {}
        };
    }

    /** {@code ./usr/bin/x}, {@code /usr/bin/x} and {@code usr/bin/x} are one path. */
    static String clean(String name) {
        String path = name;
        while (path.startsWith("./") || path.startsWith("/")) {
            path = path.startsWith("./") ? path.substring(2) : path.substring(1);
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path.equals(".") ? "" : path;
    }

    /** The listed files, by path. */
    public List<SbomFile> files() {
        return List.copyOf(files.values());
    }

    /** The OS packages every database of the final file system lists, database by database. */
    public List<OsPackage> packages() throws IOException {
        List<OsPackage> out = new ArrayList<>();
        for (Map.Entry<String, byte[]> db : databases.entrySet()) {
            out.addAll(PackageDatabases.read(db.getKey(), db.getValue()));
        }
        return out;
    }

    /** The distribution's ID from {@code os-release} ({@code debian}, {@code alpine}…), when there is one. */
    public Optional<String> distribution() {
        if (osRelease == null) {
            return Optional.empty();
        }
        for (String line : new String(osRelease, java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("ID=")) {
                String id = line.substring(3).trim().replace("\"", "").replace("'", "");
                return id.isEmpty() ? Optional.empty() : Optional.of(id);
            }
        }
        return Optional.empty();
    }

    /** What was found but could not be read (a database too large), for the job's log. */
    public List<String> skipped() {
        return List.copyOf(skipped);
    }

}
