package dev.cutter.trigger;

import dev.cutter.spec.Spec.TriggerSpec;
import dev.cutter.version.Glob;
import java.util.List;
import java.util.Optional;

/**
 * What a git event starts, decided from the spec's {@code triggers:} alone (a pure function, so
 * CI jobs, the server and tests decide alike). The first trigger that matches wins:
 * <ul>
 *   <li>a pushed tag ({@code refs/tags/NAME}) matching a {@code tag:} glob releases that tag;</li>
 *   <li>a pushed branch ({@code refs/heads/NAME}) matching a {@code branch:} glob releases the
 *       trigger's {@code version}, a template the caller renders with {@link BranchVersions} from
 *       the checkout's history (and refuses nothing when the push changed none of its {@code
 *       paths}), else the version tag at HEAD, which the caller resolves;</li>
 *   <li>a pull request ({@code --event pull_request}, ref {@code refs/pull/N/...} or its branch)
 *       matching a {@code pull-request:} glob (against the target branch when given, else the
 *       ref's branch) builds everything and publishes nothing.</li>
 * </ul>
 * No match, or {@code do: nothing}, decides nothing; an event never releases by default.
 */
public final class Triggers {
    private Triggers() {}

    /** A git event as CI systems report it. */
    public record Event(String kind, String ref, Optional<String> baseBranch) {
        public Event {
            if (!kind.equals("push") && !kind.equals("pull_request")) {
                throw new IllegalArgumentException("--event " + kind + ": give push or pull_request");
            }
            if (!ref.startsWith("refs/")) {
                throw new IllegalArgumentException("--ref " + ref + ": give a full ref, e.g. refs/tags/v1.2.3, refs/heads/main"
                        + " or refs/pull/45/merge");
            }
        }
    }

    /**
     * The decision: {@code action} is release, build or nothing; {@code tag} the tag to release,
     * {@code version} the version to release or build when no tag or template says it; {@code
     * why} for the log; {@code branch} the branch trigger that matched, whose {@code version:}
     * template and {@code paths:} the caller applies.
     */
    public record Decision(String action, Optional<String> tag, Optional<String> version, String why, Optional<BranchMatch> branch) {
        public Decision(String action, Optional<String> tag, Optional<String> version, String why) {
            this(action, tag, version, why, Optional.empty());
        }

        static Decision nothing(String why) {
            return new Decision("nothing", Optional.empty(), Optional.empty(), why);
        }
    }

    /** A branch trigger that matched: its place in {@code triggers:} (for messages), itself and the branch. */
    public record BranchMatch(int index, TriggerSpec trigger, BranchVersions.Branch branch) {
        /** {@code triggers[N].FIELD}, as a message names it. */
        public String field(String field) {
            return "triggers[" + index + "]." + field;
        }
    }

    public static Decision decide(List<TriggerSpec> triggers, Event event) {
        String ref = event.ref();
        for (int i = 0; i < triggers.size(); i++) {
            TriggerSpec t = triggers.get(i);
            String which = "triggers[" + i + "] (" + t.on() + ": \"" + t.match() + "\", do: " + t.action() + ")";
            if (event.kind().equals("pull_request")) {
                if (!t.on().equals("pull-request")) {
                    continue;
                }
                String branch = event.baseBranch().orElse(branchOf(ref));
                if (!new Glob(t.match()).matches(branch)) {
                    continue;
                }
                Optional<String> number = pullNumber(ref);
                return decision(t, Optional.empty(), Optional.of("0.0.0-pr." + number.orElse("0")),
                        "pull request " + number.map(n -> "#" + n + " ").orElse("") + "into " + branch + " matches " + which);
            }
            if (t.on().equals("tag") && ref.startsWith("refs/tags/")) {
                String tag = ref.substring("refs/tags/".length());
                if (new Glob(t.match()).matches(tag)) {
                    return decision(t, Optional.of(tag), Optional.empty(), "tag " + tag + " matches " + which);
                }
            }
            if (t.on().equals("branch") && ref.startsWith("refs/heads/")) {
                String branch = ref.substring("refs/heads/".length());
                if (new Glob(t.match()).matches(branch)) {
                    String why = "branch " + branch + " matches " + which;
                    return t.action().equals("nothing") ? Decision.nothing(why) : new Decision(t.action(), Optional.empty(),
                            Optional.empty(), why, Optional.of(new BranchMatch(i, t, BranchVersions.Branch.matched(t.match(), branch))));
                }
            }
        }
        return Decision.nothing(ref + (event.kind().equals("pull_request") ? " (pull request)" : "") + " matches no trigger");
    }

    private static Decision decision(TriggerSpec t, Optional<String> tag, Optional<String> version, String why) {
        return t.action().equals("nothing") ? Decision.nothing(why) : new Decision(t.action(), tag, version, why);
    }

    /** {@code refs/pull/45/merge} → 45. */
    private static Optional<String> pullNumber(String ref) {
        String[] parts = ref.split("/");
        return parts.length >= 3 && parts[1].equals("pull") && parts[2].matches("\\d+") ? Optional.of(parts[2]) : Optional.empty();
    }

    private static String branchOf(String ref) {
        return ref.startsWith("refs/heads/") ? ref.substring("refs/heads/".length()) : ref;
    }
}
