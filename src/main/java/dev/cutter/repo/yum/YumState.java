package dev.cutter.repo.yum;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.List;

/**
 * The index file ({@value YumRepository#INDEX_FILE}) read and written a package at a time, in
 * {@link YumRepository#ORDER}: a repository of any size costs one package's memory to go through.
 */
final class YumState {
    private YumState() {}

    /** The packages of an index file, one at a time, then its retired files. */
    static final class Reader implements Closeable {
        private final DataInputStream in;
        private final String source;
        private final long generation;
        private final int count;
        private int read;

        private Reader(DataInputStream in, String source) throws IOException {
            this.in = in;
            this.source = source;
            long[] header = IndexCodec.readHeader(in, source);
            this.generation = header[0];
            this.count = (int) header[1];
        }

        /** Opens {@code file}, reading its header. */
        static Reader open(Path file) throws IOException {
            DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
            try {
                return new Reader(in, file.toString());
            } catch (IOException | RuntimeException e) {
                in.close();
                throw e;
            }
        }

        long generation() {
            return generation;
        }

        int count() {
            return count;
        }

        /** The next package, or null after the last. */
        YumPackage next() throws IOException {
            if (read == count) {
                return null;
            }
            read++;
            return IndexCodec.readPackage(in);
        }

        /** The retired files, which follow the packages: every package is read (and dropped) first. */
        List<YumRepository.Retired> retired() throws IOException {
            while (next() != null) {
                // skipped
            }
            return IndexCodec.readRetired(in);
        }

        String source() {
            return source;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /**
     * Writes an index file: the packages one at a time (the count in the header is set when they
     * end), then the retired files. Readers may read the packages between {@link #endPackages}
     * and {@link #finish}.
     */
    static final class Writer implements Closeable {
        private final FileChannel channel;
        private final DataOutputStream out;
        private int count;

        Writer(Path file, long generation) throws IOException {
            this.channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            this.out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16));
            IndexCodec.writeHeader(out, generation, 0);
        }

        void write(YumPackage p) throws IOException {
            IndexCodec.writePackage(out, p);
            count++;
        }

        int count() {
            return count;
        }

        /** Flushes the packages and sets their count in the header: the file reads as an index without retired files. */
        void endPackages() throws IOException {
            out.flush();
            ByteBuffer number = ByteBuffer.allocate(4).putInt(0, count);
            while (number.hasRemaining()) {
                channel.write(number, IndexCodec.COUNT_OFFSET + number.position());
            }
        }

        /** Appends the retired files and makes the file durable. */
        void finish(Collection<YumRepository.Retired> retired) throws IOException {
            IndexCodec.writeRetired(out, retired);
            out.flush();
            channel.force(true);
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
