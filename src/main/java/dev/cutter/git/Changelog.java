package dev.cutter.git;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The commits of a release, {@code (from, to]}, as {@code git log --no-merges --topo-order from..to}
 * lists them (newest first; merge commits left out, since the conventional subjects live on the
 * merged commits), parsed as <a href="https://www.conventionalcommits.org/">Conventional Commits</a>.
 *
 * @param from the previous release's revision as given, empty for a first release (all history)
 * @param to the release's revision as given
 * @param changes every commit, newest first
 */
public record Changelog(Optional<String> from, String to, List<Change> changes) {
    public Changelog {
        changes = List.copyOf(changes);
    }

    /** Release-note sections, in the order they are rendered. */
    public enum Group {
        FEATURES("Features", "feat"),
        FIXES("Bug Fixes", "fix"),
        PERFORMANCE("Performance Improvements", "perf"),
        REFACTORING("Code Refactoring", "refactor"),
        DOCUMENTATION("Documentation", "docs"),
        MAINTENANCE("Build, CI and Chores", "build", "ci", "chore", "test", "style"),
        /** Commits without a conventional subject, or of another type (revert, deps, …). */
        OTHER("Other Changes");

        private final String title;
        private final Set<String> types;

        Group(String title, String... types) {
            this.title = title;
            this.types = Set.of(types);
        }

        public String title() {
            return title;
        }

        static Group of(Optional<String> type) {
            for (Group g : values()) {
                if (type.isPresent() && g.types.contains(type.get())) {
                    return g;
                }
            }
            return OTHER;
        }
    }

    /**
     * One commit.
     *
     * @param subject the first paragraph of the message on one line (git's {@code %s})
     * @param body the rest of the message, trimmed
     * @param type the conventional type, lower case ({@code feat}), empty if the subject is not conventional
     * @param description the subject after {@code type(scope)!: }, or the whole subject
     * @param breaking {@code type!:} or a {@code BREAKING CHANGE:}/{@code BREAKING-CHANGE:} footer
     * @param breakingNote the footer's text, on one line, when there is one
     * @param refs issue/PR references in order of appearance: {@code #123} from the subject and
     *     closing keywords in the body ({@code Fixes #45}, {@code closes org/repo#7})
     */
    public record Change(String id, String shortId, String subject, String body, Identity author,
                         Optional<String> type, Optional<String> scope, String description,
                         boolean breaking, Optional<String> breakingNote, List<String> refs) {
        public Change {
            refs = List.copyOf(refs);
        }

        public Group group() {
            return Group.of(type);
        }
    }

    /** The breaking changes, newest first. */
    public List<Change> breaking() {
        return changes.stream().filter(Change::breaking).toList();
    }

    /** Non-empty groups in {@link Group} order, each newest first. Breaking changes are in their own type's group too. */
    public Map<Group, List<Change>> groups() {
        Map<Group, List<Change>> byGroup = new EnumMap<>(Group.class);
        for (Change c : changes) {
            byGroup.computeIfAbsent(c.group(), g -> new ArrayList<>()).add(c);
        }
        Map<Group, List<Change>> result = new LinkedHashMap<>();
        byGroup.forEach((g, list) -> result.put(g, List.copyOf(list)));
        return result;
    }

    /**
     * Release notes in Markdown, as release-please writes them: a {@code ### ⚠ BREAKING CHANGES}
     * section first (the footer's note, else the description), then one {@code ### } section per
     * non-empty group; one bullet per commit, {@code * **scope:** description (abc1234)}, followed by
     * {@code , closes #45} for references found only in the body. Non-conventional commits are
     * listed under "Other Changes" with their whole subject. No top-level heading: the caller puts
     * the version heading (and links, which need the forge's URL) around it. Empty when there are no
     * changes. Text is not escaped: subjects are Markdown already for most projects.
     */
    public String markdown() {
        StringBuilder out = new StringBuilder();
        List<Change> breaking = breaking();
        if (!breaking.isEmpty()) {
            out.append("### ⚠ BREAKING CHANGES\n\n");
            for (Change c : breaking) {
                line(out, c, c.breakingNote().orElse(c.description()));
            }
        }
        groups().forEach((group, list) -> {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append("### ").append(group.title()).append("\n\n");
            for (Change c : list) {
                line(out, c, c.type().isPresent() && group != Group.OTHER ? c.description() : c.subject());
            }
        });
        return out.toString();
    }

    private static void line(StringBuilder out, Change c, String text) {
        out.append("* ");
        if (c.scope().isPresent() && !(c.group() == Group.OTHER && text.equals(c.subject()))) {
            out.append("**").append(c.scope().get()).append(":** ");
        }
        out.append(text).append(" (").append(c.shortId()).append(')');
        for (String ref : c.refs()) {
            if (!containsRef(text, ref)) {
                out.append(", closes ").append(ref);
            }
        }
        out.append('\n');
    }

    private static boolean containsRef(String text, String ref) {
        return Pattern.compile("(?<![\\w/#])" + Pattern.quote(ref) + "(?!\\d)").matcher(text).find();
    }

    // --- parsing -------------------------------------------------------------------------------

    /** {@code type(scope)!: description}; the type is a word, the scope anything but parentheses. */
    private static final Pattern HEADER = Pattern.compile("^([A-Za-z][\\w-]*)(?:\\(([^()\\r\\n]*)\\))?(!)?: +(\\S.*)$");
    /** A footer line: {@code Token: value} or {@code Token #value}; {@code BREAKING CHANGE} is the one token with a space. */
    private static final Pattern FOOTER = Pattern.compile("^(BREAKING CHANGE|BREAKING-CHANGE|[\\w-]+)(?:: | #)(.*)$");
    private static final Pattern SUBJECT_REF = Pattern.compile("(?<![\\w/])((?:[\\w.-]+/[\\w.-]+)?#\\d+)\\b");
    private static final Pattern CLOSING_REF = Pattern.compile(
            "(?i)\\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\\b:?\\s+((?:[\\w.-]+/[\\w.-]+)?#\\d+)\\b");

    /** Parses one commit; {@code subject} is the first paragraph on one line and {@code body} the rest. */
    static Change parse(String id, String shortId, String subject, String body, Identity author) {
        Optional<String> type = Optional.empty();
        Optional<String> scope = Optional.empty();
        String description = subject;
        boolean bang = false;
        Matcher m = HEADER.matcher(subject);
        if (m.matches() && !subject.startsWith("fixup!") && !subject.startsWith("squash!")) {
            type = Optional.of(m.group(1).toLowerCase(Locale.ROOT));
            scope = Optional.ofNullable(m.group(2)).map(String::strip).filter(s -> !s.isEmpty());
            bang = m.group(3) != null;
            description = m.group(4).strip();
        }
        Optional<String> note = type.isPresent() ? breakingNote(body) : Optional.empty();
        Set<String> refs = new LinkedHashSet<>();
        Matcher s = SUBJECT_REF.matcher(subject);
        while (s.find()) {
            refs.add(s.group(1));
        }
        Matcher c = CLOSING_REF.matcher(body);
        while (c.find()) {
            refs.add(c.group(1));
        }
        return new Change(id, shortId, subject, body, author, type, scope, description,
                bang || note.isPresent(), note, List.copyOf(refs));
    }

    /** The text of a {@code BREAKING CHANGE:} footer, continued over following lines up to the next footer or a blank line. */
    private static Optional<String> breakingNote(String body) {
        String[] lines = body.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher f = FOOTER.matcher(lines[i]);
            if (f.matches() && f.group(1).startsWith("BREAKING")) {
                StringBuilder note = new StringBuilder(f.group(2).strip());
                for (int j = i + 1; j < lines.length && !lines[j].isBlank() && !FOOTER.matcher(lines[j]).matches(); j++) {
                    note.append(' ').append(lines[j].strip());
                }
                return Optional.of(note.toString().strip()).filter(n -> !n.isEmpty());
            }
        }
        return Optional.empty();
    }
}
