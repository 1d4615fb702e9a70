package dev.cutter.pkg.rpm;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Byte order of UTF-8, as C's strcmp sorts, which rpm's file lists are sorted by. */
final class Bytes {
    private Bytes() {}

    static int compareUtf8(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }
}
