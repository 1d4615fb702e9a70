package dev.cutter.repo.apt;

import dev.cutter.pkg.deb.DebianVersion;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The packages of a full rebuild, read in the pool's order and needed in {@link AptPackage#ORDER}:
 * each stanza goes to a scratch file as it is read, and only a small key per package (name,
 * version, architecture, file name, where its stanza lies) stays in memory to be sorted. The
 * state is then copied from the scratch file stanza by stanza, in order.
 */
final class Spool implements Closeable {
    private final Path file;
    private final FileChannel channel;
    private final List<Key> keys = new ArrayList<>();
    private long end;

    /** Where one package's stanza lies in the scratch file, with what it is sorted by. */
    record Key(String name, String version, String architecture, String filename, long offset, int length) {
        static final Comparator<Key> ORDER = Comparator.comparing(Key::name)
                .thenComparing((a, b) -> DebianVersion.compare(a.version(), b.version()))
                .thenComparing(Key::architecture).thenComparing(Key::filename);

        /** The same package as {@code other}: name, version (as dpkg compares it) and architecture. */
        boolean sameKey(Key other) {
            return name.equals(other.name) && architecture.equals(other.architecture)
                    && DebianVersion.compare(version, other.version) == 0;
        }

        String describe() {
            return name + " " + version + " (" + architecture + ")";
        }
    }

    /** Spools to {@code file}, an empty scratch file, deleted on {@link #close}. */
    Spool(Path file) throws IOException {
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /** Writes {@code p}'s stanza (and the blank line after it) to the scratch file and keeps its key. */
    void add(AptPackage p) throws IOException {
        byte[] stanza = (p.indexStanza() + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.wrap(stanza);
        while (buffer.hasRemaining()) {
            channel.write(buffer, end + buffer.position());
        }
        keys.add(new Key(p.name(), p.version(), p.architecture(), p.filename(), end, stanza.length));
        end += stanza.length;
    }

    /** The keys of the packages spooled, in {@link AptPackage#ORDER}. */
    List<Key> keysInOrder() {
        List<Key> sorted = new ArrayList<>(keys);
        sorted.sort(Key.ORDER);
        return sorted;
    }

    /** Copies the stanzas of {@code keys} from the scratch file to {@code out}, in that order. */
    void copyInOrder(List<Key> keys, FileChannel out) throws IOException {
        for (Key key : keys) {
            long done = 0;
            while (done < key.length()) {
                done += channel.transferTo(key.offset() + done, key.length() - done, out);
            }
        }
    }

    @Override
    public void close() throws IOException {
        try (channel) {
            // closed before the file goes
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
