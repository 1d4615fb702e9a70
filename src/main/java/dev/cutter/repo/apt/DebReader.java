package dev.cutter.repo.apt;

import com.github.luben.zstd.ZstdInputStream;
import dev.cutter.pkg.InvalidPackageException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * Reads a .deb once, front to back: the ar members up to {@code control.tar[.gz|.xz|.zst]}, its
 * {@code ./control}, then the rest unread but hashed, so the size and the MD5, SHA-1, SHA-256 and
 * SHA-512 of the file come from the same single pass. Nothing but the control file is held in memory.
 */
final class DebReader {
    private static final int MAX_CONTROL = 1 << 20;
    private static final HexFormat HEX = HexFormat.of();

    private DebReader() {}

    /** Reads {@code deb}, which the index will list as {@code filename}. */
    static AptPackage read(Path deb, String filename) throws IOException {
        Hashing in;
        try {
            in = new Hashing(Files.newInputStream(deb));
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(deb.toString(), null, "no such .deb");
        }
        try (in) {
            String where = deb.toString();
            byte[] magic = in.readNBytes(8);
            if (!java.util.Arrays.equals(magic, "!<arch>\n".getBytes(StandardCharsets.US_ASCII))) {
                throw new InvalidPackageException(where + " is not a Debian package: it is not an ar archive");
            }
            Stanza control = null;
            boolean first = true;
            byte[] header = new byte[60];
            while (control == null) {
                int n = in.readNBytes(header, 0, 60);
                if (n == 0) {
                    break;
                }
                if (n < 60 || header[58] != '`' || header[59] != '\n') {
                    throw new InvalidPackageException(where + " is not a Debian package: a truncated or corrupt ar member header");
                }
                String name = new String(header, 0, 16, StandardCharsets.US_ASCII).strip();
                if (name.endsWith("/")) {
                    name = name.substring(0, name.length() - 1);
                }
                long size = parseSize(header, where, name);
                if (first) {
                    if (!name.equals("debian-binary")) {
                        throw new InvalidPackageException(where + " is not a Debian package: its first member is '" + name
                                + "', not debian-binary");
                    }
                    byte[] version = in.readNBytes((int) Math.min(size, 64));
                    if (version.length < 2 || version[0] != '2' || version[1] != '.') {
                        throw new InvalidPackageException(where + ": unsupported .deb format version '"
                                + new String(version, StandardCharsets.US_ASCII).strip() + "' (expected 2.x)");
                    }
                    skip(in, size - version.length, where);
                    first = false;
                } else if (name.startsWith("control.tar")) {
                    // the rest of this member and of the file is hashed by drain() below
                    try {
                        control = control(new Bounded(in, size), name, where);
                    } catch (java.util.zip.ZipException | org.tukaani.xz.XZIOException | com.github.luben.zstd.ZstdIOException
                            | java.io.EOFException e) { // the compressed member is damaged: the package's fault, not the disk's
                        throw new InvalidPackageException(where + ": its " + name + " member is corrupt (" + e.getMessage() + ")");
                    }
                    break;
                } else {
                    skip(in, size, where);
                }
                if (size % 2 != 0) {
                    in.read();
                }
            }
            if (control == null) {
                throw new InvalidPackageException(where + " is not a Debian package: it has no control.tar member");
            }
            in.drain();
            try {
                return AptPackage.of(control, filename, in.size, in.hex(0), in.hex(1), in.hex(2), in.hex(3), where);
            } catch (IllegalArgumentException e) { // a field missing, or one that breaks its grammar (DebFields)
                throw new InvalidPackageException(e.getMessage());
            }
        }
    }

    private static long parseSize(byte[] header, String where, String name) throws IOException {
        long size = 0;
        boolean digits = false;
        for (int i = 48; i < 58; i++) {
            byte b = header[i];
            if (b >= '0' && b <= '9') {
                size = size * 10 + (b - '0');
                digits = true;
            } else if (b != ' ') {
                throw new InvalidPackageException(where + ": ar member " + name + " has a corrupt size field");
            }
        }
        if (!digits) {
            throw new InvalidPackageException(where + ": ar member " + name + " has no size");
        }
        return size;
    }

    private static Stanza control(Bounded member, String name, String where) throws IOException {
        InputStream tar = switch (name) {
            case "control.tar" -> member;
            case "control.tar.gz" -> new GZIPInputStream(member, 4096) /* a control member is a few KiB */;
            case "control.tar.xz" -> new XZInputStream(member);
            case "control.tar.zst" -> new ZstdInputStream(member);
            default -> throw new InvalidPackageException(where + ": unsupported control member compression '" + name + "'");
        };
        byte[] header = new byte[512];
        String longName = null;
        while (true) {
            if (tar.readNBytes(header, 0, 512) < 512 || header[0] == 0) {
                break;
            }
            long size = octal(header, 124, 12, where);
            byte type = header[156];
            String path = longName != null ? longName : cString(header, 0, 100);
            if (longName == null && header[257] == 'u' && header[345] != 0) {
                path = cString(header, 345, 155) + "/" + path; // ustar prefix
            }
            longName = null;
            long padded = (size + 511) & ~511L;
            if (type == 'x' || type == 'L') {
                if (size > MAX_CONTROL) {
                    throw new InvalidPackageException(where + ": a corrupt tar header in " + name);
                }
                byte[] data = tar.readNBytes((int) size);
                tar.skipNBytes(padded - size);
                longName = type == 'L' ? cString(data, 0, data.length) : paxPath(data);
                continue;
            }
            if ((type == '0' || type == 0) && (path.equals("./control") || path.equals("control"))) {
                if (size > MAX_CONTROL) {
                    throw new InvalidPackageException(where + ": the control file is " + size + " bytes, over the " + MAX_CONTROL
                            + " bytes accepted");
                }
                String text = new String(tar.readNBytes((int) size), StandardCharsets.UTF_8);
                try {
                    Stanza stanza = Stanza.parse(text, where + " control");
                    for (String field : AptPackage.INDEX_FIELDS) {
                        if (stanza.get(field) != null) {
                            throw new InvalidPackageException(where + ": the control file has a " + field
                                    + " field, which only an index may carry");
                        }
                    }
                    return stanza;
                } catch (IllegalArgumentException e) {
                    throw new InvalidPackageException(e.getMessage());
                }
            }
            tar.skipNBytes(padded);
        }
        throw new InvalidPackageException(where + " is not a Debian package: its " + name + " holds no ./control file");
    }

    /** The NUL-terminated text of a tar header field. */
    private static String cString(byte[] b, int offset, int length) {
        int end = offset;
        while (end < offset + length && b[end] != 0) {
            end++;
        }
        return new String(b, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] h, int offset, int length, String where) throws IOException {
        long value = 0;
        for (int i = offset; i < offset + length; i++) {
            byte b = h[i];
            if (b == 0 || b == ' ') {
                if (value > 0 || i > offset) {
                    break;
                }
                continue;
            }
            if (b < '0' || b > '7') {
                throw new InvalidPackageException(where + ": a corrupt tar header in the control member");
            }
            value = value * 8 + (b - '0');
        }
        return value;
    }

    /** The {@code path} record of a pax extended header, or null. */
    private static String paxPath(byte[] records) {
        String text = new String(records, StandardCharsets.UTF_8);
        for (String record : text.split("\n")) {
            int space = record.indexOf(' ');
            if (space > 0 && record.startsWith("path=", space + 1)) {
                return record.substring(space + 6);
            }
        }
        return null;
    }

    private static void skip(Hashing in, long n, String where) throws IOException {
        if (in.skipHashed(n) != n) {
            throw new InvalidPackageException(where + " is not a Debian package: it is truncated");
        }
    }

    /** A window of {@code size} bytes of the underlying stream; closing it leaves the underlying stream open. */
    private static final class Bounded extends FilterInputStream {
        private long remaining;

        Bounded(Hashing in, long size) {
            super(in);
            this.remaining = size;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public void close() {
        }
    }

    /** Feeds every byte read or skipped to MD5, SHA-1, SHA-256 and SHA-512, and counts them. */
    private static final class Hashing extends FilterInputStream {
        /** Looked up once: a clone skips the provider lookup that {@code getInstance} makes for every package. */
        private static final MessageDigest[] PROTOTYPES = {
                digest("MD5"), digest("SHA-1"), digest("SHA-256"), digest("SHA-512")};
        private final MessageDigest[] digests = fresh();
        /** One per reading thread: a buffer per package would be most of what indexing allocates. */
        private static final ThreadLocal<byte[]> BUFFERS = ThreadLocal.withInitial(() -> new byte[1 << 16]);
        private final byte[] buffer = BUFFERS.get();
        long size;

        Hashing(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                for (MessageDigest d : digests) {
                    d.update((byte) b);
                }
                size++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                for (MessageDigest d : digests) {
                    d.update(b, off, n);
                }
                size += n;
            }
            return n;
        }

        long skipHashed(long n) throws IOException {
            long done = 0;
            while (done < n) {
                int r = read(buffer, 0, (int) Math.min(buffer.length, n - done));
                if (r < 0) {
                    break;
                }
                done += r;
            }
            return done;
        }

        void drain() throws IOException {
            while (read(buffer, 0, buffer.length) >= 0) {
                // hashed by read
            }
        }

        String hex(int i) {
            return HEX.formatHex(digests[i].digest());
        }

        private static MessageDigest[] fresh() {
            MessageDigest[] copies = new MessageDigest[PROTOTYPES.length];
            for (int i = 0; i < copies.length; i++) {
                try {
                    copies[i] = (MessageDigest) PROTOTYPES[i].clone();
                } catch (CloneNotSupportedException e) { // a provider whose digests cannot be copied
                    copies[i] = digest(PROTOTYPES[i].getAlgorithm());
                }
            }
            return copies;
        }
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this Java runtime", e);
        }
    }
}
