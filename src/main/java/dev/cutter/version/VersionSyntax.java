package dev.cutter.version;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The character-level rules that the version schemes share. */
final class VersionSyntax {

    private VersionSyntax() {
    }

    static boolean isDigits(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (!isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isIdentifierChar(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
    }

    /** Whether a digit string has a superfluous leading zero, like {@code 02}. */
    static boolean hasLeadingZero(String digits) {
        return digits.length() > 1 && digits.charAt(0) == '0';
    }

    static String stripLeadingZeros(String digits) {
        int start = 0;
        while (start < digits.length() - 1 && digits.charAt(start) == '0') {
            start++;
        }
        return digits.substring(start);
    }

    /** Splits on every dot, keeping empty parts so that {@code "1..2"} can be reported. */
    static List<String> splitDots(String text) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '.') {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        return parts;
    }

    /**
     * What is wrong with the characters of {@code text} (not empty), as a version's message says
     * it: a leading {@code v} that belongs in the tag pattern, or a character that is neither an
     * identifier character nor in {@code extra} ({@code allowed} names them all for the reader).
     */
    static Optional<String> characterProblem(String text, String extra, String allowed) {
        char first = text.charAt(0);
        if ((first == 'v' || first == 'V') && text.length() > 1 && isDigit(text.charAt(1))) {
            return Optional.of("it starts with \"" + first + "\"; write " + text.substring(1)
                    + " and put the prefix in the tag pattern, e.g. \"" + first + "{version}\"");
        }
        int bad = firstInvalidChar(text, extra);
        if (bad >= 0) {
            return Optional.of("it contains " + describeCharAt(text, bad) + "; only " + allowed + " are allowed");
        }
        return Optional.empty();
    }

    /** Index of the first character that is neither an identifier character nor in {@code extra}. */
    static int firstInvalidChar(String text, String extra) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isIdentifierChar(c) && extra.indexOf(c) < 0) {
                return i;
            }
        }
        return -1;
    }

    /** How to name the character at {@code index} in a message, e.g. {@code the character '_'}. */
    static String describeCharAt(String text, int index) {
        int codePoint = text.codePointAt(index);
        if (Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint)) {
            return "whitespace";
        }
        if (Character.isISOControl(codePoint)) {
            return String.format("the control character U+%04X", codePoint);
        }
        return "the character '" + Character.toString(codePoint) + "'";
    }
}
