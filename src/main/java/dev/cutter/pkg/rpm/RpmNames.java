package dev.cutter.pkg.rpm;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The grammar of the header tags that become a package's file name ({@code name-version-release.arch.rpm}):
 * the one place the RPM writer and the yum repository's reader check them, so Cutter never builds
 * a package it would refuse and no header becomes a path with a '/' or '..' (law 10). The
 * characters are rpmbuild's, without its macro characters.
 */
public final class RpmNames {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_+][A-Za-z0-9._+-]*");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9._+~^]+");
    private static final Pattern ARCH = Pattern.compile("[A-Za-z0-9_]+");

    /** A header tag whose value Cutter puts into a path. */
    public enum Tag {
        NAME("NAME", "an RPM package name (letters, digits and . _ + -, not starting with . or -)"),
        VERSION("VERSION", "an RPM version (letters, digits and . _ + ~ ^; no '-', which separates the release)"),
        RELEASE("RELEASE", "an RPM release (letters, digits and . _ + ~ ^, e.g. 1)"),
        ARCH("ARCH", "an RPM architecture (letters, digits and _, e.g. x86_64, aarch64, noarch)");

        private final String tagName;
        private final String expected;

        Tag(String tagName, String expected) {
            this.tagName = tagName;
            this.expected = expected;
        }

        /** The tag's name as rpm's headers call it. */
        public String tagName() {
            return tagName;
        }
    }

    private RpmNames() {}

    /** What is wrong with {@code value} as {@code tag}, e.g. {@code '../x' is not an RPM package name (…)}; empty when valid. */
    public static Optional<String> problem(Tag tag, String value) {
        Pattern grammar = switch (tag) {
            case NAME -> NAME;
            case VERSION, RELEASE -> VERSION;
            case ARCH -> ARCH;
        };
        return value != null && grammar.matcher(value).matches() ? Optional.empty()
                : Optional.of("'" + value + "' is not " + tag.expected);
    }

    /** The tag's problem as a message naming it, {@code header NAME: '../x' is not …}; empty when valid. */
    public static Optional<String> tagProblem(Tag tag, String value) {
        return problem(tag, value).map(p -> "header " + tag.tagName() + ": " + p);
    }
}
