package dev.cutter.pkg.rpm;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One parsed header structure (the signature header or the main header) of an RPM: typed access
 * to its tags by number ({@link RpmTag}). Immutable. Strings are decoded as UTF-8.
 */
public final class RpmHeader {
    private record Entry(int type, int offset, int count) {}

    private final Map<Integer, Entry> entries;
    private final byte[] data;
    private final String source;

    private RpmHeader(Map<Integer, Entry> entries, byte[] data, String source) {
        this.entries = entries;
        this.data = data;
        this.source = source;
    }

    /**
     * Parses a header from its index ({@code il} entries of 16 bytes) followed by its data store
     * ({@code dl} bytes), checking every entry lies inside the store.
     */
    static RpmHeader parse(byte[] indexAndData, int il, String source, String which) throws RpmFormatException {
        ByteBuffer index = ByteBuffer.wrap(indexAndData, 0, il * 16);
        int dl = indexAndData.length - il * 16;
        byte[] data = new byte[dl];
        System.arraycopy(indexAndData, il * 16, data, 0, dl);
        Map<Integer, Entry> entries = new HashMap<>();
        for (int i = 0; i < il; i++) {
            int tag = index.getInt();
            int type = index.getInt();
            int offset = index.getInt();
            int count = index.getInt();
            if (type < RpmTag.NULL || type > RpmTag.I18NSTRING || offset < 0 || offset > dl || count < 0
                    || count > dl + 16) {
                throw new RpmFormatException(source + " is not a valid RPM: the " + which + " header's entry for tag "
                        + tag + " (type " + type + ", offset " + offset + ", count " + count + ") lies outside its "
                        + dl + "-byte data store");
            }
            entries.put(tag, new Entry(type, offset, count));
        }
        return new RpmHeader(Map.copyOf(entries), data, source);
    }

    /**
     * A header as rpm's database keeps it (each blob of {@code rpmdb.sqlite}'s {@code Packages}):
     * {@code il} and {@code dl} as big-endian 32-bit numbers, then the index and the data store,
     * without the header's magic.
     */
    public static RpmHeader fromDatabase(byte[] blob, String source) throws RpmFormatException {
        if (blob == null || blob.length < 8) {
            throw new RpmFormatException(source + ": a package header shorter than 8 bytes");
        }
        ByteBuffer sizes = ByteBuffer.wrap(blob, 0, 8);
        int il = sizes.getInt();
        int dl = sizes.getInt();
        if (il < 0 || dl < 0 || 8L + il * 16L + dl != blob.length) {
            throw new RpmFormatException(source + ": a package header of " + il + " entries and " + dl
                    + " data bytes does not fit its " + blob.length + " bytes");
        }
        byte[] indexAndData = new byte[blob.length - 8];
        System.arraycopy(blob, 8, indexAndData, 0, indexAndData.length);
        return parse(indexAndData, il, source, "package");
    }

    public boolean has(int tag) {
        return entries.containsKey(tag);
    }

    /** The tag's string (the first of an array, the "C" locale's of an i18n string), if present. */
    public Optional<String> string(int tag) {
        List<String> values = strings(tag);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The tag's strings; empty when absent. */
    public List<String> strings(int tag) {
        Entry e = entries.get(tag);
        if (e == null) {
            return List.of();
        }
        if (e.type() != RpmTag.STRING && e.type() != RpmTag.STRING_ARRAY && e.type() != RpmTag.I18NSTRING) {
            throw new IllegalStateException(source + ": tag " + tag + " holds type " + e.type() + ", not strings");
        }
        int count = e.type() == RpmTag.STRING ? 1 : e.count();
        List<String> values = new ArrayList<>(count);
        int at = e.offset();
        for (int i = 0; i < count; i++) {
            int end = at;
            while (end < data.length && data[end] != 0) {
                end++;
            }
            if (end >= data.length) {
                throw new IllegalStateException(source + ": tag " + tag + "'s string runs past the header's end");
            }
            values.add(new String(data, at, end - at, StandardCharsets.UTF_8));
            at = end + 1;
        }
        return values;
    }

    /** The tag's integers, unsigned as rpm treats sizes, modes and flags; empty when absent. */
    public long[] numbers(int tag) {
        Entry e = entries.get(tag);
        if (e == null) {
            return new long[0];
        }
        int width = switch (e.type()) {
            case RpmTag.CHAR, RpmTag.INT8 -> 1;
            case RpmTag.INT16 -> 2;
            case RpmTag.INT32 -> 4;
            case RpmTag.INT64 -> 8;
            default -> throw new IllegalStateException(source + ": tag " + tag + " holds type " + e.type()
                    + ", not integers");
        };
        if ((long) e.offset() + (long) width * e.count() > data.length) {
            throw new IllegalStateException(source + ": tag " + tag + "'s integers run past the header's end");
        }
        ByteBuffer buffer = ByteBuffer.wrap(data, e.offset(), width * e.count());
        long[] values = new long[e.count()];
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (width) {
                case 1 -> buffer.get() & 0xffL;
                case 2 -> buffer.getShort() & 0xffffL;
                case 4 -> buffer.getInt() & 0xffffffffL;
                default -> buffer.getLong();
            };
        }
        return values;
    }

    /** The first integer of the tag, if present. */
    public Optional<Long> number(int tag) {
        long[] values = numbers(tag);
        return values.length == 0 ? Optional.empty() : Optional.of(values[0]);
    }

    /** The tag's raw bytes (a BIN value such as a signature packet); empty when absent. */
    public byte[] bytes(int tag) {
        Entry e = entries.get(tag);
        if (e == null) {
            return new byte[0];
        }
        if (e.type() != RpmTag.BIN || e.offset() + e.count() > data.length) {
            throw new IllegalStateException(source + ": tag " + tag + " is not binary data within the header");
        }
        byte[] value = new byte[e.count()];
        System.arraycopy(data, e.offset(), value, 0, e.count());
        return value;
    }
}
