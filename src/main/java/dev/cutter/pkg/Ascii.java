package dev.cutter.pkg;

/**
 * The character classes dpkg's and rpm's version comparisons are defined in: ASCII only, whatever
 * the locale ({@link Character#isDigit} would take other scripts' digits).
 */
public final class Ascii {
    private Ascii() {}

    public static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    public static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    public static boolean isAlnum(char c) {
        return isDigit(c) || isAlpha(c);
    }
}
