package dev.cutter.pkg.deb;

import static dev.cutter.pkg.Ascii.isAlnum;
import static dev.cutter.pkg.Ascii.isAlpha;
import static dev.cutter.pkg.Ascii.isDigit;

import java.util.Objects;

/**
 * A Debian package version, {@code [epoch:]upstream[-revision]}, ordered as dpkg orders them
 * ({@code dpkg --compare-versions}): epochs numerically, then upstream and revision by
 * alternating non-digit and digit runs, where letters sort before non-letters and {@code ~}
 * sorts before everything, even the end of the string ({@code 1.0~rc1 < 1.0 < 1.0+b1}).
 *
 * <p>Equality is textual ({@code 1.0} and {@code 0:1.0} compare as 0 but are not equal), so a
 * sorted set keeps what the archive holds, while {@link #compareTo} is dpkg's order.
 */
public record DebianVersion(long epoch, String upstream, String revision) implements Comparable<DebianVersion> {

    public DebianVersion {
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(revision, "revision");
        if (epoch < 0) {
            throw new IllegalArgumentException("negative epoch " + epoch);
        }
    }

    /**
     * Parses a version as dpkg does, refusing what dpkg refuses: an empty or non-numeric epoch,
     * an upstream part not starting with a digit, characters outside {@code [A-Za-z0-9.+~-:]}.
     */
    public static DebianVersion parse(String text) {
        Objects.requireNonNull(text, "version");
        String v = text.strip();
        if (v.isEmpty()) {
            throw new IllegalArgumentException("empty Debian version");
        }
        long epoch = 0;
        int colon = v.indexOf(':');
        if (colon >= 0) {
            String e = v.substring(0, colon);
            if (e.isEmpty() || !e.chars().allMatch(c -> c >= '0' && c <= '9') || e.length() > 9) {
                throw new IllegalArgumentException("Debian version '" + text + "': the epoch before ':' must be a number");
            }
            epoch = Long.parseLong(e);
            v = v.substring(colon + 1);
        }
        String upstream = v;
        String revision = "";
        int dash = v.lastIndexOf('-');
        if (dash >= 0) {
            upstream = v.substring(0, dash);
            revision = v.substring(dash + 1);
            if (revision.isEmpty()) {
                throw new IllegalArgumentException("Debian version '" + text + "': empty revision after '-'");
            }
        }
        if (upstream.isEmpty() || upstream.charAt(0) < '0' || upstream.charAt(0) > '9') {
            throw new IllegalArgumentException("Debian version '" + text + "': the upstream version must start with a digit");
        }
        for (int i = 0; i < upstream.length(); i++) {
            char c = upstream.charAt(i);
            if (!(isAlnum(c) || c == '.' || c == '+' || c == '~' || c == '-' || c == ':')) {
                throw new IllegalArgumentException("Debian version '" + text + "': '" + c + "' is not allowed in the upstream version");
            }
        }
        for (int i = 0; i < revision.length(); i++) {
            char c = revision.charAt(i);
            if (!(isAlnum(c) || c == '.' || c == '+' || c == '~')) {
                throw new IllegalArgumentException("Debian version '" + text + "': '" + c + "' is not allowed in the revision");
            }
        }
        return new DebianVersion(epoch, upstream, revision);
    }

    /** dpkg's order: {@code compare("1.0~rc1", "1.0") < 0}. Both must parse. */
    public static int compare(String a, String b) {
        return parse(a).compareTo(parse(b));
    }

    @Override
    public int compareTo(DebianVersion other) {
        int c = Long.compare(epoch, other.epoch);
        if (c != 0) {
            return c;
        }
        c = compareFragment(upstream, other.upstream);
        return c != 0 ? c : compareFragment(revision, other.revision);
    }

    /** The version without its epoch, as it appears in a .deb's file name. */
    public String withoutEpoch() {
        return revision.isEmpty() ? upstream : upstream + "-" + revision;
    }

    @Override
    public String toString() {
        return (epoch != 0 ? epoch + ":" : "") + withoutEpoch();
    }

    /** dpkg's verrevcmp. */
    private static int compareFragment(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            int firstDiff = 0;
            while ((i < a.length() && !isDigit(a.charAt(i))) || (j < b.length() && !isDigit(b.charAt(j)))) {
                int ac = i < a.length() ? order(a.charAt(i)) : 0;
                int bc = j < b.length() ? order(b.charAt(j)) : 0;
                if (ac != bc) {
                    return Integer.compare(ac, bc);
                }
                i++;
                j++;
            }
            while (i < a.length() && a.charAt(i) == '0') {
                i++;
            }
            while (j < b.length() && b.charAt(j) == '0') {
                j++;
            }
            while (i < a.length() && isDigit(a.charAt(i)) && j < b.length() && isDigit(b.charAt(j))) {
                if (firstDiff == 0) {
                    firstDiff = a.charAt(i) - b.charAt(j);
                }
                i++;
                j++;
            }
            if (i < a.length() && isDigit(a.charAt(i))) {
                return 1;
            }
            if (j < b.length() && isDigit(b.charAt(j))) {
                return -1;
            }
            if (firstDiff != 0) {
                return Integer.signum(firstDiff);
            }
        }
        return 0;
    }

    /** dpkg's order(): digits and the end count 0, letters their code, '~' -1, anything else code + 256. */
    private static int order(char c) {
        if (isDigit(c)) {
            return 0;
        }
        if (isAlpha(c)) {
            return c;
        }
        if (c == '~') {
            return -1;
        }
        return c + 256;
    }
}
