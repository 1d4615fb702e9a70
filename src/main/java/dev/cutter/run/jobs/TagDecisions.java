package dev.cutter.run.jobs;

import dev.cutter.version.FloatingLine;
import dev.cutter.version.FloatingTags;
import dev.cutter.version.Version;
import dev.cutter.version.VersionException;
import dev.cutter.version.VersionScheme;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What publishing an image under its tags does to each tag of a repository (laws 3 and 4): an
 * immutable tag is created, left as it is, or refused when it points at another digest (replaced
 * only in a rolling channel); a floating tag moves only when this version is the highest of its
 * line among the versions the repository holds; a rolling tag always follows. Pure: the caller
 * lists the repository's tags and applies the decisions, all or none.
 */
public final class TagDecisions {
    private TagDecisions() {}

    public enum Kind { CREATE, UNCHANGED, MOVE, KEEP, REFUSE }

    /** {@code before} is the digest the tag pointed at, if it existed. */
    public record Decision(String tag, Kind kind, Optional<String> before, String reason) {
        public boolean changes() {
            return kind == Kind.CREATE || kind == Kind.MOVE;
        }
    }

    /** The tags of one publication, with their policies (see {@code Publication}). */
    public record Tags(List<String> all, List<String> floating, Map<String, String> lines, List<String> rolling) {}

    public static List<Decision> decide(Version version, VersionScheme scheme, Tags tags, Map<String, String> existing,
            String digest, boolean rollingChannel, boolean forceFloating) {
        List<Decision> decisions = new ArrayList<>();
        Optional<String> versionTag = tags.all().stream()
                .filter(t -> !tags.floating().contains(t) && !tags.rolling().contains(t) && t.contains(version.text()))
                .findFirst();
        List<Version> versions = versionTag.map(vt -> versionsIn(existing, vt, version.text(), scheme)).orElse(List.of());
        for (String tag : tags.all()) {
            Optional<String> before = Optional.ofNullable(existing.get(tag));
            if (before.isPresent() && before.get().equals(digest)) {
                decisions.add(new Decision(tag, Kind.UNCHANGED, before, "already points at " + short12(digest)));
            } else if (tags.rolling().contains(tag)) {
                decisions.add(new Decision(tag, before.isEmpty() ? Kind.CREATE : Kind.MOVE, before, "moves with every release"));
            } else if (tags.floating().contains(tag)) {
                FloatingLine line = FloatingLine.valueOf(tags.lines().getOrDefault(tag, "all").toUpperCase());
                var decision = FloatingTags.decide(version, line, versions, forceFloating);
                decisions.add(decision.move()
                        ? new Decision(tag, before.isEmpty() ? Kind.CREATE : Kind.MOVE, before, decision.reason())
                        : new Decision(tag, Kind.KEEP, before, decision.reason()));
            } else if (before.isEmpty()) {
                decisions.add(new Decision(tag, Kind.CREATE, before, "new"));
            } else if (rollingChannel) {
                decisions.add(new Decision(tag, Kind.MOVE, before, "the channel is rolling: versions may be replaced"));
            } else {
                decisions.add(new Decision(tag, Kind.REFUSE, before, "tag " + tag + " exists at " + before.get() + ", not "
                        + digest + "; a released version never changes (release a new version, or declare the channel rolling)"));
            }
        }
        return decisions;
    }

    /**
     * The versions a repository holds, read back from the tags shaped like this publication's
     * version tag: {@code 1.7.8-alpine} reads {@code 1.6.9-alpine} as 1.6.9, and skips
     * {@code 1.6.9} (another variant) and {@code latest-alpine}.
     */
    public static List<Version> versionsIn(Map<String, String> existing, String versionTag, String versionText, VersionScheme scheme) {
        int at = versionTag.indexOf(versionText);
        String prefix = versionTag.substring(0, at);
        String suffix = versionTag.substring(at + versionText.length());
        List<Version> versions = new ArrayList<>();
        for (String tag : existing.keySet()) {
            if (tag.length() > prefix.length() + suffix.length() && tag.startsWith(prefix) && tag.endsWith(suffix)) {
                String middle = tag.substring(prefix.length(), tag.length() - suffix.length());
                try {
                    Version v = scheme.parse(middle);
                    if (suffix.isEmpty() && v.prerelease().isPresent() && !versionText.contains("-")) {
                        // 1.6.9-alpine read as the pre-release 1.6.9 "alpine" of the standard variant: not ours
                        continue;
                    }
                    versions.add(v);
                } catch (VersionException ignored) {
                    // not a version tag of this line
                }
            }
        }
        return versions;
    }

    private static String short12(String digest) {
        int colon = digest.indexOf(':');
        return digest.substring(0, Math.min(digest.length(), colon + 13));
    }
}
