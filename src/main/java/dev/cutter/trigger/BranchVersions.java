package dev.cutter.trigger;

import dev.cutter.spec.Spec.TriggerSpec;
import dev.cutter.version.Glob;
import dev.cutter.version.Version;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The version a pushed branch implies: a branch trigger's {@code version:} is a template over
 * the branch and the checkout's history, rendered in one pass (a value is never read again, so a
 * branch named {@code x{date}} stays that text):
 * <ul>
 *   <li>{@code {branch}} — the whole branch name, {@code releases/km/v0.10};</li>
 *   <li>{@code {branch.name}} — what the trigger pattern's last {@code *} matched ({@code 0.10}
 *       for {@code releases/*}{@code /v*}), or the branch's last path segment when the pattern
 *       has no {@code *};</li>
 *   <li>{@code {date}} — {@code yyyyMMdd} in UTC, as everywhere;</li>
 *   <li>{@code {short_sha}} — the first 7 characters of the pushed commit;</li>
 *   <li>{@code {commits}} — the commits since the newest version tag (as {@code git describe}
 *       counts them), all of the history when there is none;</li>
 *   <li>{@code {last}} {@code {last.major}} {@code {last.minor}} {@code {last.patch}} — that
 *       tag's version and its numbers, {@code 0.0.0} (and 0s) when there is none.</li>
 * </ul>
 * "Version tag" means a tag of the project's pattern whose version parses and belongs to no
 * rolling channel: a rolling version is replaced, so it is never where a line starts.
 */
public final class BranchVersions {
    private BranchVersions() {}

    /** Every placeholder a branch trigger's version may use. */
    public static final List<String> PLACEHOLDERS = TriggerSpec.VERSION_PLACEHOLDERS;

    /** The placeholders that only the checkout's history answers (the server has no checkout of a pushed branch). */
    static final List<String> FROM_HISTORY = List.of("short_sha", "commits", "last", "last.major", "last.minor", "last.patch");

    /** The pushed commit and, when found, the newest version tag before it. */
    public record History(String sha, long commits, Optional<Version> last) {}

    /** A branch a trigger matched: its name and what {@code {branch.name}} is for it. */
    public record Branch(String name, String shortName) {
        /** {@code branch} as {@code pattern} matched it. */
        public static Branch matched(String pattern, String branch) {
            return new Branch(branch, new Glob(pattern).lastStar(branch).orElse(branch.substring(branch.lastIndexOf('/') + 1)));
        }
    }

    /** Whether rendering {@code template} needs {@link History}. */
    public static boolean needsHistory(String template) {
        return TriggerSpec.placeholders(template).stream().anyMatch(FROM_HISTORY::contains);
    }

    /** {@code template} rendered; {@code history} may be empty only when {@link #needsHistory} is false. */
    public static String render(String template, Branch branch, String date, Optional<History> history) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("branch", branch.name());
        values.put("branch.name", branch.shortName());
        values.put("date", date);
        history.ifPresent(h -> {
            values.put("short_sha", h.sha().substring(0, Math.min(7, h.sha().length())));
            values.put("commits", Long.toString(h.commits()));
            values.put("last", h.last().map(Version::text).orElse("0.0.0"));
            values.put("last.major", Long.toString(h.last().map(Version::major).orElse(0L)));
            values.put("last.minor", Long.toString(h.last().map(Version::minor).orElse(0L)));
            values.put("last.patch", Long.toString(h.last().map(Version::patch).orElse(0L)));
        });
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            int end = open < 0 ? -1 : template.indexOf('}', open);
            if (open < 0 || end < 0) {
                out.append(template, i, template.length());
                break;
            }
            String value = values.get(template.substring(open + 1, end));
            if (value == null) {
                throw new IllegalArgumentException("'" + template + "': {" + template.substring(open + 1, end) + "} has no value here");
            }
            out.append(template, i, open).append(value);
            i = end + 1;
        }
        return out.toString();
    }

    /**
     * Whether a push that changed {@code changed} (paths in the checkout, '/'-separated) touches
     * one of {@code paths}: a path names a file, a directory (everything under it), or a glob
     * ({@code *} and {@code ?}, where {@code *} crosses '/'). No {@code paths} means every change counts.
     */
    public static boolean touches(List<String> paths, List<String> changed) {
        if (paths.isEmpty()) {
            return true;
        }
        for (String file : changed) {
            for (String path : paths) {
                String p = path.startsWith("./") ? path.substring(2) : path;
                String dir = p.endsWith("/") ? p : p + "/";
                if (file.equals(p) || file.startsWith(dir) || new Glob(p).matches(file)) {
                    return true;
                }
            }
        }
        return false;
    }
}
