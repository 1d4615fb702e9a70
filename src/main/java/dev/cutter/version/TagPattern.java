package dev.cutter.version;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a project's git tags are written: literal text around exactly one {@code {version}}
 * placeholder and, for repositories that release several components, at most one {@code
 * {component}} placeholder. Examples: {@code v{version}}, {@code {version}}, {@code
 * serverless-init-{version}}, {@code src/{component}/v{version}}.
 *
 * <p>Prefixes such as "v" belong here rather than in the version, so that one version can be
 * published under differently named tags and read back from them.
 *
 * <p>Everything other than the two placeholders is literal, including characters that are special
 * in regular expressions ({@code release+{version}} matches {@code release+1.2.3}). Characters git
 * forbids in tag names are rejected up front, as are placeholders written next to each other,
 * because the tag could then not be split back into its parts.
 *
 * @param pattern the pattern text; validated on construction
 */
public record TagPattern(String pattern) {

    /** What {@code {component}} matches when no component is given: a non-empty path segment. */
    private static final String ANY_COMPONENT = "[^/]+?";
    /** What {@code {version}} matches: every scheme's versions start with a digit. */
    private static final String VERSION_TEXT = "[0-9][^/]*";
    /** What {@code {version}} matches when explaining a mismatch. */
    private static final String ANY_VERSION_TEXT = "[^/]+";
    private static final String FORBIDDEN_IN_GIT = " ~^:?*[\\";

    public TagPattern {
        Objects.requireNonNull(pattern, "pattern");
        parts(pattern);
    }

    /**
     * A validated pattern.
     *
     * @throws VersionException when {@code {version}} is missing or repeated, {@code {component}}
     *     is repeated, another placeholder is used, braces are unbalanced, placeholders touch, or a
     *     character git does not allow in tag names is used
     */
    public static TagPattern of(String pattern) {
        return new TagPattern(pattern);
    }

    /** Whether tags name a component, i.e. the pattern contains {@code {component}}. */
    public boolean hasComponent() {
        return parts(pattern).contains(Placeholder.COMPONENT);
    }

    /**
     * The tag for {@code version} of {@code component}.
     *
     * @param component the component name; may be null when the pattern has no {@code
     *     {component}}, and is ignored in that case
     * @throws VersionException when the pattern needs a component and none (or an empty one) is
     *     given
     */
    public String format(String component, Version version) {
        Objects.requireNonNull(version, "version");
        StringBuilder tag = new StringBuilder();
        for (Part part : parts(pattern)) {
            switch (part) {
                case Literal literal -> tag.append(literal.text());
                case Placeholder.VERSION -> tag.append(version.text());
                case Placeholder.COMPONENT -> tag.append(requireComponent(component));
            }
        }
        return tag.toString();
    }

    /**
     * The version text of {@code tag} if it has the shape of this pattern, without parsing it.
     *
     * @param component the component the tag must name; null accepts any non-empty component
     *     without '/'. Ignored when the pattern has no {@code {component}}.
     * @return the text in the {@code {version}} position, or empty when the literal parts or the
     *     component do not match. The text starts with a digit, as versions of every scheme do,
     *     and contains no '/'. When {@code {component}} and {@code {version}} are separated by
     *     text that also occurs inside them, the version takes the longest text that starts with
     *     a digit, so {@code {component}-{version}} splits {@code web-ui-1.2.3-rc.1} into {@code
     *     web-ui} and {@code 1.2.3-rc.1}.
     */
    public Optional<String> extractVersion(String tag, String component) {
        return match(tag, component, VERSION_TEXT);
    }

    /**
     * The version that {@code tag} carries.
     *
     * @param component as for {@link #extractVersion(String, String)}
     * @throws VersionException naming the tag and this pattern when the tag does not match it, or
     *     carrying the scheme's explanation when the version text is not valid
     */
    public Version parseTag(String tag, String component, VersionScheme scheme) {
        Objects.requireNonNull(scheme, "scheme");
        String text = extractVersion(tag, component).orElseThrow(() -> mismatch(tag, component));
        try {
            return scheme.parse(text);
        } catch (VersionException e) {
            throw new VersionException("tag \"" + tag + "\" matches the pattern \"" + pattern
                    + "\" but its version is invalid: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return pattern;
    }

    private Optional<String> match(String tag, String component, String versionRegex) {
        Objects.requireNonNull(tag, "tag");
        StringBuilder regex = new StringBuilder();
        for (Part part : parts(pattern)) {
            switch (part) {
                case Literal literal -> regex.append(Pattern.quote(literal.text()));
                case Placeholder.VERSION -> regex.append("(?<version>").append(versionRegex).append(')');
                case Placeholder.COMPONENT -> regex.append(component == null
                        ? ANY_COMPONENT
                        : Pattern.quote(requireComponent(component)));
            }
        }
        Matcher matcher = Pattern.compile(regex.toString()).matcher(tag);
        return matcher.matches() ? Optional.of(matcher.group("version")) : Optional.empty();
    }

    private VersionException mismatch(String tag, String component) {
        String message = "tag \"" + tag + "\" does not match the pattern \"" + pattern + "\""
                + (component != null && hasComponent() ? " for component \"" + component + "\"" : "");
        Optional<String> notAVersion = match(tag, component, ANY_VERSION_TEXT);
        if (notAVersion.isPresent()) {
            String text = notAVersion.get();
            message += ": its version part \"" + text + "\" does not start with a digit";
            if (text.length() > 1 && VersionSyntax.isDigit(text.charAt(1))) {
                message += "; if \"" + text.charAt(0) + "\" is a prefix, put it in the pattern, e.g. \""
                        + pattern.replace("{version}", text.charAt(0) + "{version}") + "\"";
            }
        }
        return new VersionException(message);
    }

    private String requireComponent(String component) {
        if (component == null || component.isEmpty()) {
            throw new VersionException("the tag pattern \"" + pattern + "\" contains {component}, so a component"
                    + " name is needed, but " + (component == null ? "none was" : "an empty one was") + " given");
        }
        return component;
    }

    /** A piece of a pattern: literal text or a placeholder. */
    private sealed interface Part permits Literal, Placeholder {
    }

    private record Literal(String text) implements Part {
    }

    private enum Placeholder implements Part {
        VERSION, COMPONENT
    }

    private static List<Part> parts(String pattern) {
        if (pattern.isEmpty()) {
            throw invalid(pattern, "it is empty; write e.g. \"v{version}\" or \"{version}\"");
        }
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c == '}') {
                throw invalid(pattern, "it has a '}' without an opening '{'");
            }
            if (c != '{') {
                checkAllowed(pattern, i);
                literal.append(c);
                i++;
                continue;
            }
            int close = pattern.indexOf('}', i);
            if (close < 0) {
                throw invalid(pattern, "it has a '{' without a closing '}'");
            }
            String name = pattern.substring(i + 1, close);
            Placeholder placeholder = switch (name) {
                case "version" -> Placeholder.VERSION;
                case "component" -> Placeholder.COMPONENT;
                default -> throw invalid(pattern, "it uses the unknown placeholder {" + name
                        + "}; only {version} and {component} are allowed");
            };
            if (!literal.isEmpty()) {
                parts.add(new Literal(literal.toString()));
                literal.setLength(0);
            }
            parts.add(placeholder);
            i = close + 1;
        }
        if (!literal.isEmpty()) {
            parts.add(new Literal(literal.toString()));
        }
        long versions = parts.stream().filter(Placeholder.VERSION::equals).count();
        long components = parts.stream().filter(Placeholder.COMPONENT::equals).count();
        if (versions == 0) {
            throw invalid(pattern, "it has no {version} placeholder; add one, e.g. \"" + pattern + "{version}\"");
        }
        if (versions > 1) {
            throw invalid(pattern, "it has " + versions + " {version} placeholders; it needs exactly one");
        }
        if (components > 1) {
            throw invalid(pattern, "it has " + components + " {component} placeholders; at most one is allowed");
        }
        for (int p = 1; p < parts.size(); p++) {
            if (parts.get(p) instanceof Placeholder && parts.get(p - 1) instanceof Placeholder) {
                throw invalid(pattern, "{component} and {version} are next to each other, so a tag could not be"
                        + " split into them; put literal text between them, e.g. \"{component}-{version}\"");
            }
        }
        return parts;
    }

    private static void checkAllowed(String pattern, int index) {
        char c = pattern.charAt(index);
        if (FORBIDDEN_IN_GIT.indexOf(c) >= 0 || Character.isISOControl(c) || Character.isWhitespace(c)) {
            throw invalid(pattern, "it contains " + VersionSyntax.describeCharAt(pattern, index)
                    + ", which git does not allow in tag names");
        }
    }

    private static VersionException invalid(String pattern, String problem) {
        return new VersionException("invalid tag pattern \"" + pattern + "\": " + problem);
    }
}
