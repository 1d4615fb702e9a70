package dev.cutter.repo.apt;

import dev.cutter.content.PublishedFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * One index ({@code Packages}) written as it is made to every compression at once: each file is
 * compressed on the fly and hashed as its bytes reach the disk, so neither the index nor a
 * compressed copy of it is ever held whole. {@link #close} syncs the files and gives their Release
 * entries.
 */
final class IndexFiles extends OutputStream {
    private final List<Sink> sinks = new ArrayList<>();
    private final List<OutputStream> inputs = new ArrayList<>();

    /** Creates {@code <dir>/<name><suffix>} under {@code generation} for each of {@code compressions}; {@code dir} is relative. */
    IndexFiles(Path generation, String dir, String name, Set<AptCompression> compressions) throws IOException {
        Path parent = Files.createDirectories(generation.resolve(dir));
        try {
            for (AptCompression compression : AptCompression.values()) {
                if (compressions.contains(compression)) {
                    String path = dir + "/" + name + compression.suffix();
                    Sink sink = new Sink(path, parent.resolve(name + compression.suffix()));
                    sinks.add(sink);
                    inputs.add(compression == AptCompression.NONE ? new java.io.BufferedOutputStream(sink, 1 << 16)
                            : compression.compress(sink));
                }
            }
        } catch (IOException | RuntimeException e) {
            for (Sink sink : sinks) {
                sink.channel.close();
            }
            throw e;
        }
    }

    @Override
    public void write(int b) throws IOException {
        for (OutputStream in : inputs) {
            in.write(b);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        for (OutputStream in : inputs) {
            in.write(b, off, len);
        }
    }

    /** Finishes every file (compressor trailers included), syncs it and closes it. */
    @Override
    public void close() throws IOException {
        IOException first = null;
        for (OutputStream in : inputs) {
            try {
                in.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** The files written, with their paths (relative to the generation) and digests; after {@link #close}. */
    List<Written> written() {
        return sinks.stream().map(s -> new Written(s.file, new Release.Entry(s.path, s.digests()))).toList();
    }

    /** A file written and its Release entry. */
    record Written(Path file, Release.Entry entry) {}

    /** The end of one chain: counts and hashes the bytes that reach the file. */
    private static final class Sink extends OutputStream {
        private final String path;
        private final Path file;
        private final FileChannel channel;
        private final OutputStream out;
        private final MessageDigest[] digests = Digests.digests();
        private long size;
        private Digests result;

        Sink(String path, Path file) throws IOException {
            this.path = path;
            this.file = file;
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            PublishedFiles.makeReadable(file); // served as it is, whatever the umask
            this.out = Channels.newOutputStream(channel);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            for (MessageDigest d : digests) {
                d.update(b, off, len);
            }
            size += len;
        }

        @Override
        public void close() throws IOException {
            if (result != null) {
                return;
            }
            try (channel) {
                channel.force(true);
            }
            HexFormat hex = HexFormat.of();
            result = new Digests(size, hex.formatHex(digests[0].digest()), hex.formatHex(digests[1].digest()),
                    hex.formatHex(digests[2].digest()), hex.formatHex(digests[3].digest()));
        }

        Digests digests() {
            if (result == null) {
                throw new IllegalStateException(path + " is still being written");
            }
            return result;
        }
    }
}
