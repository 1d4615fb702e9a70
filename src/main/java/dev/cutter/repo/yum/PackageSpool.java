package dev.cutter.repo.yum;

import dev.cutter.pkg.rpm.Evr;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Packages read from .rpm files and not yet in the index, in the order they were read: each goes
 * to a scratch file in the index's own encoding, and only a small key (name, architecture,
 * version, location, where it lies) stays in memory, to be sorted into {@link YumRepository#ORDER}.
 * A full rebuild of tens of thousands of packages holds their keys, never the packages. A package
 * spooled at a location already spooled replaces it.
 */
final class PackageSpool implements Closeable {
    private final Path file;
    private final FileChannel channel;
    private final Map<String, Key> byLocation = new HashMap<>();
    private long end;

    /** Where one package lies in the scratch file, with what it is sorted by. */
    record Key(String name, String arch, Evr evr, String location, String sha256, long offset, int length) {
        static final Comparator<Key> ORDER = Comparator.comparing(Key::name).thenComparing(Key::arch)
                .thenComparing(Key::evr).thenComparing(Key::location);
    }

    /** Spools to {@code file}, an empty scratch file, deleted on {@link #close}. */
    PackageSpool(Path file) throws IOException {
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    void add(YumPackage p) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(2048);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            IndexCodec.writePackage(out, p);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes.toByteArray());
        int length = buffer.remaining();
        while (buffer.hasRemaining()) {
            channel.write(buffer, end + buffer.position());
        }
        byLocation.put(p.location(), new Key(p.name(), p.arch(), p.evr(), p.location(), p.sha256(), end, length));
        end += length;
    }

    Optional<Key> at(String location) {
        return Optional.ofNullable(byLocation.get(location));
    }

    void remove(String location) {
        byLocation.remove(location);
    }

    boolean isEmpty() {
        return byLocation.isEmpty();
    }

    Collection<Key> keys() {
        return byLocation.values();
    }

    /** The keys of the packages spooled, in {@link YumRepository#ORDER}. */
    List<Key> keysInOrder() {
        List<Key> sorted = new ArrayList<>(byLocation.values());
        sorted.sort(Key.ORDER);
        return sorted;
    }

    YumPackage read(Key key) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(key.length());
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, key.offset() + buffer.position()) < 0) {
                throw new IOException(file + " ended early");
            }
        }
        return IndexCodec.readPackage(new DataInputStream(new ByteArrayInputStream(buffer.array())));
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
