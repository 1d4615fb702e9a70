package dev.cutter.pkg.deb;

import java.util.Optional;

/**
 * The grammar of the control fields that become file names (Debian Policy §5.6): the one place
 * both the .deb writer and the repository's reader check them, so Cutter never builds a package
 * it would refuse, and no package's metadata becomes a path with a '/' or '..' (law 10).
 */
public final class DebFields {

    /** A control field whose value Cutter puts into a path. */
    public enum Field {
        PACKAGE("Package", "a Debian package name (Policy 5.6.7: lowercase letters, digits, + - ., two or more, starting"
                + " with a letter or digit)"),
        SOURCE("Source", "a Debian source package name (Policy 5.6.1: lowercase letters, digits, + - ., two or more,"
                + " starting with a letter or digit)"),
        VERSION("Version", "a Debian version (Policy 5.6.12: [epoch:]upstream[-revision], upstream starting with a"
                + " digit)"),
        ARCHITECTURE("Architecture", "a Debian architecture (lowercase letters, digits and -, e.g. amd64, arm64, all)");

        private final String name;
        private final String expected;

        Field(String name, String expected) {
            this.name = name;
            this.expected = expected;
        }

        /** The field's name in a control file. */
        public String fieldName() {
            return name;
        }
    }

    private DebFields() {}

    /**
     * What is wrong with {@code value} as {@code field}, e.g. {@code '../x' is not a Debian package
     * name (Policy 5.6.7: …)}; empty when it is valid. Source is the name alone, without "(version)".
     */
    public static Optional<String> problem(Field field, String value) {
        boolean valid = value != null && switch (field) {
            case PACKAGE, SOURCE -> value.length() >= 2 && matches(value, "+.-");
            case ARCHITECTURE -> !value.isEmpty() && matches(value, "-");
            case VERSION -> version(value).isEmpty();
        };
        if (valid) {
            return Optional.empty();
        }
        String detail = field == Field.VERSION && value != null ? version(value).map(d -> ": " + d).orElse("") : "";
        return Optional.of("'" + value + "' is not " + field.expected + detail);
    }

    /** The field's problem as a message naming the field, {@code control field Package: '../x' is not …}; empty when valid. */
    public static Optional<String> fieldProblem(Field field, String value) {
        return problem(field, value).map(p -> "control field " + field.fieldName() + ": " + p);
    }

    /**
     * Whether {@code value} is a lowercase ASCII letter or digit followed by letters, digits and
     * {@code others}: the names of Policy 5.6.1 and 5.6.7 ({@code [a-z0-9][a-z0-9+.-]+}) and of
     * dpkg-architecture ({@code [a-z0-9][a-z0-9-]*}, amd64, musl-linux-arm64, all), checked for
     * every package a repository reads without a regular expression's machinery.
     */
    private static boolean matches(String value, String others) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || i > 0 && others.indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    /** dpkg's parser decides; its message says which character or part is wrong. */
    private static Optional<String> version(String value) {
        if (!value.equals(value.strip())) {
            return Optional.of("it has spaces around it");
        }
        try {
            DebianVersion.parse(value);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            int colon = message.indexOf("': ");
            return Optional.of(colon > 0 ? message.substring(colon + 3) : message);
        }
    }
}
