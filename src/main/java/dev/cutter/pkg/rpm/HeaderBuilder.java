package dev.cutter.pkg.rpm;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Assembles one header structure as rpm's {@code headerExport} lays it out: magic, index
 * entries sorted by tag, then the data store in the same order (each value aligned to its type)
 * and, last, the region trailer that the first index entry ({@code regionTag}) points at.
 */
final class HeaderBuilder {
    static final byte[] MAGIC = {(byte) 0x8e, (byte) 0xad, (byte) 0xe8, 0x01, 0, 0, 0, 0};

    private record Entry(int type, int count, byte[] data) {}

    private final Map<Integer, Entry> entries = new TreeMap<>();

    HeaderBuilder string(int tag, String value) {
        return put(tag, RpmTag.STRING, 1, cString(value));
    }

    HeaderBuilder i18n(int tag, String value) {
        return put(tag, RpmTag.I18NSTRING, 1, cString(value));
    }

    HeaderBuilder strings(int tag, List<String> values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String value : values) {
            out.writeBytes(cString(value));
        }
        return put(tag, RpmTag.STRING_ARRAY, values.size(), out.toByteArray());
    }

    HeaderBuilder int32(int tag, int... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4);
        for (int value : values) {
            buffer.putInt(value);
        }
        return put(tag, RpmTag.INT32, values.length, buffer.array());
    }

    HeaderBuilder int16(int tag, int... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 2);
        for (int value : values) {
            buffer.putShort((short) value);
        }
        return put(tag, RpmTag.INT16, values.length, buffer.array());
    }

    HeaderBuilder int64(int tag, long... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 8);
        for (long value : values) {
            buffer.putLong(value);
        }
        return put(tag, RpmTag.INT64, values.length, buffer.array());
    }

    HeaderBuilder bin(int tag, byte[] value) {
        return put(tag, RpmTag.BIN, value.length, value.clone());
    }

    private HeaderBuilder put(int tag, int type, int count, byte[] data) {
        if (count == 0) {
            throw new IllegalArgumentException("rpm refuses empty header entries (tag " + tag + ")");
        }
        if (entries.put(tag, new Entry(type, count, data)) != null) {
            throw new IllegalStateException("tag " + tag + " set twice");
        }
        return this;
    }

    /** The header's bytes, from its magic to the end of its data store. */
    byte[] build(int regionTag) {
        int il = entries.size() + 1;
        ByteArrayOutputStream store = new ByteArrayOutputStream();
        ByteBuffer index = ByteBuffer.allocate(il * 16);
        index.position(16); // the region entry, written last: it points at the trailer
        for (Map.Entry<Integer, Entry> e : entries.entrySet()) {
            Entry entry = e.getValue();
            int align = switch (entry.type()) {
                case RpmTag.INT16 -> 2;
                case RpmTag.INT32 -> 4;
                case RpmTag.INT64 -> 8;
                default -> 1;
            };
            while (store.size() % align != 0) {
                store.write(0);
            }
            index.putInt(e.getKey()).putInt(entry.type()).putInt(store.size()).putInt(entry.count());
            store.writeBytes(entry.data());
        }
        int trailerOffset = store.size();
        store.writeBytes(ByteBuffer.allocate(16).putInt(regionTag).putInt(RpmTag.BIN).putInt(-il * 16).putInt(16).array());
        index.putInt(0, regionTag).putInt(4, RpmTag.BIN).putInt(8, trailerOffset).putInt(12, 16);
        ByteBuffer header = ByteBuffer.allocate(16 + il * 16 + store.size());
        header.put(MAGIC).putInt(il).putInt(store.size()).put(index.array()).put(store.toByteArray());
        return header.array();
    }

    static byte[] cString(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("an RPM header string cannot hold a NUL character: " + value);
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        byte[] result = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, result, 0, bytes.length);
        return result;
    }
}
