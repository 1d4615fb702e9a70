package dev.cutter.plan;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The plan for people: jobs by stage with what they need, then every publication with its tags.
 * Each kind says in one line what its job does ({@link ActionText}), given by its capability.
 */
public final class PlanText {
    private final Map<Class<? extends Action>, ActionText.Typed<?>> texts = new HashMap<>();

    /** Renders plans with {@code texts}, one per kind of action. */
    public PlanText(List<ActionText.Typed<?>> texts) {
        texts.forEach(t -> this.texts.put(t.type(), t));
    }

    public String render(Plan plan) {
        StringBuilder out = new StringBuilder();
        out.append("Plan: ").append(plan.project()).append(' ').append(plan.version())
                .append(" (tag ").append(plan.tag()).append(", channel ").append(plan.channel())
                .append(plan.rolling() ? ", rolling: versions may be replaced" : "").append(")\n");
        plan.component().ifPresent(c -> out.append("Component: ").append(c).append('\n'));
        Map<String, Integer> stage = stages(plan.jobs());
        int width = plan.jobs().stream().mapToInt(j -> j.id().length()).max().orElse(10);
        out.append("\nJobs (").append(plan.jobs().size()).append("), in stages that can run in parallel:\n");
        int last = -1;
        List<Job> ordered = plan.jobs().stream()
                .sorted(java.util.Comparator.comparingInt((Job j) -> stage.get(j.id()))).toList();
        for (Job job : ordered) {
            int s = stage.get(job.id());
            if (s != last) {
                out.append("  stage ").append(s + 1).append('\n');
                last = s;
            }
            out.append("    ").append(pad(job.id(), width)).append("  ").append(summary(job));
            job.group().ifPresent(g -> out.append("  [at most ").append(plan.groups().get(g)).append(" of ").append(g).append(" at once]"));
            out.append('\n');
        }
        if (!plan.publications().isEmpty()) {
            out.append("\nPublications (").append(plan.publications().size()).append("):\n");
            for (Publication p : plan.publications()) {
                out.append("  ").append(p.repository()).append("  (").append(p.kind())
                        .append(p.kind().equals("replica") ? " of " + p.source() : "")
                        .append(p.matrix().isEmpty() ? "" : ", " + p.matrix()).append(")\n");
                out.append("      platforms: ").append(String.join(", ", p.platforms())).append('\n');
                for (String tag : p.tags()) {
                    out.append("      ").append(tag);
                    if (p.floating().contains(tag)) {
                        out.append("  (floating: moves only if ").append(plan.version()).append(" is the highest ")
                                .append(lineName(p.lines().get(tag), plan.version())).append(")");
                    } else if (p.rolling().contains(tag)) {
                        out.append("  (moves with every release)");
                    } else {
                        out.append(plan.rolling() ? "  (rolling: replaced if it exists)" : "  (immutable: refused if it exists with another digest)");
                    }
                    out.append('\n');
                }
            }
        }
        return out.toString();
    }

    private static String lineName(String line, String version) {
        String[] parts = version.split("[.-]");
        return switch (line) {
            case "major" -> "stable " + parts[0] + ".x";
            case "minor" -> "stable " + parts[0] + "." + (parts.length > 1 ? parts[1] : "0") + ".x";
            default -> "stable version";
        };
    }

    private String summary(Job job) {
        ActionText.Typed<?> text = texts.get(job.action().getClass());
        return (text == null ? job.kind() : text.describe(job.action()))
                + (job.needs().isEmpty() ? "" : "  ← " + (job.needs().size() <= 2 ? String.join(", ", job.needs())
                : job.needs().size() + " jobs"));
    }

    /** {@code text} on one line, at most 60 characters: a command in a plan's line. */
    public static String abbreviate(String text) {
        String one = text.strip().replaceAll("\\s*\\n\\s*", "; ");
        return one.length() <= 60 ? one : one.substring(0, 57) + "...";
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }

    /** Longest path from a root: jobs of one stage never need each other. */
    public static Map<String, Integer> stages(List<Job> jobs) {
        Map<String, Integer> stage = new HashMap<>();
        for (Job job : jobs) { // needs always come earlier in plan order
            int s = 0;
            for (String need : job.needs()) {
                s = Math.max(s, stage.getOrDefault(need, 0) + 1);
            }
            stage.put(job.id(), s);
        }
        return stage;
    }
}
