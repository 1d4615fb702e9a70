package dev.cutter.spec;

import dev.cutter.spec.MatrixSpec.Axis;
import dev.cutter.spec.MatrixSpec.AxisValue;
import dev.cutter.spec.Spec.RepositoryRef;
import dev.cutter.spec.Template.Placeholder;
import dev.cutter.version.Channel;
import dev.cutter.version.TagPattern;
import dev.cutter.version.VersionException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Checks what a loaded spec refers to: ids are unique, references name something declared,
 * dependencies have no cycle, every placeholder exists where it is used and secrets appear only
 * in fields that are resolved at the moment of use.
 */
final class SpecValidator {
    /** Placeholders every template may use (DESIGN §3); nothing else exists. */
    static final List<String> GLOBAL = List.of("version", "major", "minor", "patch", "prerelease", "channel",
            "channel.suffix", "sha", "short_sha", "date", "project");

    private final Spec spec;
    private final Problems problems;

    private SpecValidator(Spec spec, Problems problems) {
        this.spec = spec;
        this.problems = problems;
    }

    Spec spec() {
        return spec;
    }

    void problem(Location location, String at, String message) {
        problems.add(location, at, message);
    }

    static void validate(Spec spec, Problems problems) {
        new SpecValidator(spec, problems).run();
    }

    private void run() {
        SectionChecks checks = new SectionChecks(this);
        if (jobsFit()) { // only then may every matrix be expanded here
            spec.sections().forEach(new Sections.Visitor() {
                @Override
                public <T> void visit(Section<T> section, T value) {
                    section.checkFiles(value, checks);
                }
            });
        }
        versionPatterns();
        channels();
        registries();
        Set<String> components = unique("components", spec.components(), Spec.ComponentSpec::id, Spec.ComponentSpec::location);
        for (int i = 0; i < spec.components().size(); i++) {
            var c = spec.components().get(i);
            String at = "components[" + i + "]";
            c.path().ifPresent(t -> check(t, new PlaceholderScope(Map.of(), at), false));
            tagPattern(c.tag(), c.location(), at + ".tag");
            references(c.needs(), components, "components", at + ".needs", c.location());
        }
        cycles("components", spec.components(), Spec.ComponentSpec::id, Spec.ComponentSpec::needs, Spec.ComponentSpec::location);
        spec.execution().artifacts().ifPresent(ref -> repository(ref, new PlaceholderScope(Map.of(), "execution.artifacts"), "execution.artifacts"));
        spec.sections().forEach(new Sections.Visitor() {
            @Override
            public <T> void visit(Section<T> section, T value) {
                section.check(value, checks);
            }
        });
    }

    // ---- sizes ---------------------------------------------------------------------------------

    /**
     * Refuses a spec whose matrices make more jobs than {@code execution.max-jobs}, each entry and
     * all together, before anything expands them: a plan of millions of jobs would exhaust memory.
     */
    private boolean jobsFit() {
        List<SectionChecks.MatrixEntry> entries = new ArrayList<>();
        spec.sections().forEach(new Sections.Visitor() {
            @Override
            public <T> void visit(Section<T> section, T value) {
                entries.addAll(section.matrices(value));
            }
        });
        int max = spec.execution().maxJobs();
        boolean fits = true;
        long total = 0;
        for (SectionChecks.MatrixEntry e : entries) {
            if (e.jobs() > max) {
                problems.add(e.location(), e.at() + ".matrix", "makes " + count(e.jobs()) + " jobs" + shape(e.matrix())
                        + ", more than execution.max-jobs allows (" + max + "); remove values, add exclude rows, or raise"
                        + " the limit with execution: { max-jobs: N }");
                fits = false;
            }
            total = total > Long.MAX_VALUE - e.jobs() ? Long.MAX_VALUE : total + e.jobs();
        }
        if (fits && total > max) {
            List<SectionChecks.MatrixEntry> largest = entries.stream()
                    .sorted(java.util.Comparator.comparingLong(SectionChecks.MatrixEntry::jobs).reversed()).limit(3).toList();
            problems.add(largest.get(0).location(), "execution.max-jobs", "the matrices together make " + count(total)
                    + " jobs (" + String.join(", ", largest.stream().map(e -> e.at() + ": " + e.jobs()).toList())
                    + "), more than execution.max-jobs allows (" + max + "); make them smaller or raise the limit with"
                    + " execution: { max-jobs: N }");
            fits = false;
        }
        return fits;
    }

    private static String count(long n) {
        return n == Long.MAX_VALUE ? "more than 9.2 quintillion" : String.valueOf(n);
    }

    private static String shape(MatrixSpec matrix) {
        List<String> sizes = new ArrayList<>();
        if (!matrix.rows().isEmpty()) {
            sizes.add(matrix.rows().size() + " rows of " + matrix.source().orElse("its data file"));
        }
        matrix.axes().forEach(a -> sizes.add(String.valueOf(a.values().size())));
        return sizes.size() < 2 ? "" : " (" + String.join(" × ", sizes) + " before include and exclude rows)";
    }

    // ---- files and names ---------------------------------------------------------------------


    /** The project directory: relative paths in the spec are read from there. */
    java.nio.file.Path directory() {
        java.nio.file.Path parent = spec.file() == null ? null : spec.file().toAbsolutePath().getParent();
        return parent == null ? java.nio.file.Path.of("").toAbsolutePath() : parent;
    }

    /** Files already reported, so a fault of a template is told once however many cells repeat it. */
    final Set<String> reported = new HashSet<>();
    /** What the jobs write into {@code dist/}, by name, and who writes it. */
    final Map<String, String> written = new HashMap<>();

    void projectFile(Template template, Cell cell) {
        String path = sample(template, cell, "x");
        Optional<String> problem = dev.cutter.content.ProjectPaths.problem(path);
        if (problem.isEmpty()) {
            // a glob is checked up to its first pattern: the directory it walks
            String literal = path.replaceAll("(^|/)[^/]*[*?\\[].*$", "");
            java.nio.file.Path root = directory();
            if (!dev.cutter.content.ProjectPaths.within(root, root.resolve(literal.isEmpty() ? "." : literal).normalize())) {
                problem = Optional.of("'" + path + "' leads outside the project through a symbolic link; only files"
                        + " inside the project directory may be read");
            }
        }
        problem.filter(p -> reported.add(template.path() + "\0" + p))
                .ifPresent(p -> problems.add(template.location(), template.path(), p));
    }

    void unique(String name, String at, Cell cell,
            Template template, String what) {
        String here = at + (cell.isEmpty() ? "" : " (" + cell.labels() + ")");
        String first = written.putIfAbsent(name, here);
        if (first != null && reported.add(template.path() + "\0duplicate")) { // once per field, not per cell
            problems.add(template.location(), template.path(), "the " + what + " of " + here + " has the same name as that of "
                    + first + " ('" + name + "'), so one would overwrite the other; put what tells them apart into the"
                    + " name, e.g. {platform.arch} or a matrix axis");
        }
    }

    /**
     * {@code template} as {@code cell} renders it, {@code {project}} and {@code {vars.…}} (their
     * defaults) filled in too; other placeholders become {@code filler}, or stay as written.
     */
    String sample(Template template, Cell cell, String filler) {
        StringBuilder out = new StringBuilder();
        for (Template.Part part : template.parts()) {
            switch (part) {
                case Template.Literal l -> out.append(l.text());
                case Placeholder p -> out.append(cell.lookup(p.name())
                        .or(() -> p.name().equals("project") ? Optional.of(spec.project()) : Optional.empty())
                        .or(() -> p.head().equals("vars") ? p.field().map(spec.vars()::get).map(Spec.VarSpec::defaultValue)
                                : Optional.empty())
                        .map(p::filtered)
                        .orElse(filler == null ? "{" + p.name() + "}" : filler));
                case Template.SecretRef r -> out.append(filler == null ? r.written() : filler);
            }
        }
        return out.toString();
    }

    // ---- sections -----------------------------------------------------------------------------

    private void versionPatterns() {
        tagPattern(spec.version().tag(), problems.where("version.tag"), "version.tag");
    }

    void tagPattern(String pattern, Location location, String at) {
        try {
            TagPattern.of(pattern);
        } catch (VersionException e) {
            problems.add(location, at, e.getMessage());
        }
    }

    private void channels() {
        Set<String> targets = new TreeSet<>(spec.registries().keySet());
        spec.sections().forEach(new Sections.Visitor() {
            @Override
            public <T> void visit(Section<T> section, T value) {
                targets.addAll(section.targets(value));
            }
        });
        for (Channel channel : spec.channels()) {
            for (String target : channel.targets().orElse(List.of())) {
                if (!targets.contains(target)) {
                    String hint = Problems.suggestion(target, targets);
                    problems.add(problems.where("channels." + channel.name()), "channels." + channel.name() + ".targets", "'" + target
                            + "' is not a registry, release or repository of this spec"
                            + (hint != null ? "; did you mean '" + hint + "'?" : "; known: " + String.join(", ", targets)));
                }
            }
        }
    }

    private void registries() {
        spec.registries().forEach((name, r) -> {
            PlaceholderScope scope = new PlaceholderScope(Map.of(), "registries." + name);
            r.url().ifPresent(t -> check(t, scope, false));
            r.layout().ifPresent(t -> check(t, scope, false));
            r.username().ifPresent(t -> check(t, scope, true));
            r.password().ifPresent(t -> check(t, scope, true));
        });
    }

    void repository(RepositoryRef ref, PlaceholderScope scope, String at) {
        if (ref.registry().isEmpty()) {
            return;
        }
        if (!spec.registries().containsKey(ref.registry())) {
            String hint = Problems.suggestion(ref.registry(), spec.registries().keySet());
            problems.add(ref.location(), at, "unknown registry '" + ref.registry() + "'"
                    + (hint != null ? "; did you mean '" + hint + "'?"
                    : spec.registries().isEmpty() ? "; declare it under registries:, e.g. registries: { " + ref.registry()
                    + ": { layout: dist/oci } }" : "; declared: " + String.join(", ", spec.registries().keySet())));
        }
        check(ref.path(), scope, false);
    }

    void files(Spec.FileSpec file, PlaceholderScope scope) {
        check(file.src(), scope, false);
        file.dst().ifPresent(t -> check(t, scope, false));
    }

    <T> Set<String> unique(String section, List<T> items, Function<T, String> id, Function<T, Location> location) {
        Map<String, Location> seen = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            T item = items.get(i);
            String key = id.apply(item);
            Location first = seen.putIfAbsent(key, location.apply(item));
            if (first != null && !key.isEmpty()) {
                problems.add(location.apply(item), section + "[" + i + "].id", "duplicate id '" + key + "' (first at line "
                        + first.line() + "); give each entry its own id");
            }
        }
        return new LinkedHashSet<>(seen.keySet());
    }

    void references(List<String> names, Set<String> known, String what, String at, Location location) {
        for (String name : names) {
            if (!known.contains(name)) {
                String hint = Problems.suggestion(name, known);
                problems.add(location, at, "'" + name + "' is not one of the " + what + " of this spec"
                        + (hint != null ? "; did you mean '" + hint + "'?"
                        : known.isEmpty() ? "" : "; known: " + String.join(", ", known)));
            }
        }
    }

    <T> void cycles(String section, List<T> items, Function<T, String> id, Function<T, List<String>> needs,
            Function<T, Location> location) {
        Map<String, T> byId = new HashMap<>();
        items.forEach(item -> byId.putIfAbsent(id.apply(item), item));
        Set<String> done = new HashSet<>();
        for (T item : items) {
            List<String> path = new ArrayList<>();
            if (cycle(id.apply(item), byId, id, needs, done, path)) {
                problems.add(location.apply(item), section, "dependency cycle: " + String.join(" -> ", path)
                        + "; remove one of these needs");
                return;
            }
        }
    }

    private <T> boolean cycle(String node, Map<String, T> byId, Function<T, String> id, Function<T, List<String>> needs,
            Set<String> done, List<String> path) {
        if (path.contains(node)) {
            path.add(node);
            path.subList(0, path.indexOf(node)).clear();
            return true;
        }
        if (done.contains(node) || !byId.containsKey(node)) {
            return false;
        }
        path.add(node);
        for (String next : needs.apply(byId.get(node))) {
            if (cycle(next, byId, id, needs, done, path)) {
                return true;
            }
        }
        path.remove(path.size() - 1);
        done.add(node);
        return false;
    }

    // ---- placeholders -------------------------------------------------------------------------

    PlaceholderScope scope(MatrixSpec matrix, String at) {
        Map<String, Set<String>> axes = new HashMap<>();
        for (Axis axis : matrix.axes()) {
            Set<String> common = null;
            for (AxisValue value : axis.values()) {
                if (common == null) {
                    common = new HashSet<>(value.fields().keySet());
                } else {
                    common.retainAll(value.fields().keySet());
                }
            }
            axes.put(axis.name(), common == null ? Set.of() : common);
        }
        Map<String, Integer> counts = new HashMap<>();
        for (Map<String, String> row : matrix.rows()) {
            row.keySet().forEach(k -> counts.merge(k, 1, Integer::sum));
        }
        counts.forEach((axis, n) -> {
            if (n == matrix.rows().size()) {
                axes.put(axis, Set.of());
            }
        });
        for (Map<String, String> row : matrix.include()) {
            row.keySet().forEach(axis -> axes.putIfAbsent(axis, Set.of()));
        }
        return new PlaceholderScope(axes, at);
    }

    void check(Template template, PlaceholderScope scope, boolean secretsAllowed) {
        if (!secretsAllowed && template.hasSecret()) {
            problems.add(template.location(), template.path(), "a secret reference (${env:…}/${file:…}) is not allowed"
                    + " here: secrets go only in credentials, signing keys, env and webhooks, so they never reach a tag,"
                    + " a path or the ledger");
        }
        for (Placeholder p : template.placeholders()) {
            Optional<String> problem = problem(p, scope);
            problem.ifPresent(message -> problems.add(template.locationOf(p.offset()), template.path(), message));
        }
    }

    private Optional<String> problem(Placeholder p, PlaceholderScope scope) {
        String name = p.name();
        if (GLOBAL.contains(name) || name.startsWith(DateFormat.PREFIX)) {
            return Optional.empty();
        }
        if (p.head().equals("vars")) {
            String var = p.field().orElse("");
            if (spec.vars().containsKey(var)) {
                return Optional.empty();
            }
            String hint = Problems.suggestion(var, spec.vars().keySet());
            return Optional.of("unknown variable {" + name + "}"
                    + (hint != null ? "; did you mean {vars." + hint + "}?" : "; declare it under vars:, e.g. vars: { "
                    + (var.isEmpty() ? "NAME" : var) + ": \"\" }"));
        }
        Set<String> fields = scope.axes().get(p.head());
        if (fields != null) {
            if (p.field().isEmpty() || fields.contains(p.field().get())) {
                return Optional.empty();
            }
            return Optional.of("{" + name + "}: not every value of axis '" + p.head() + "' has a field '"
                    + p.field().get() + "'" + (fields.isEmpty() ? "" : "; fields they all have: " + String.join(", ", new TreeSet<>(fields))));
        }
        List<String> known = new ArrayList<>(GLOBAL);
        spec.vars().keySet().forEach(v -> known.add("vars." + v));
        scope.axes().forEach((axis, f) -> {
            known.add(axis);
            f.forEach(field -> known.add(axis + "." + field));
        });
        String hint = Problems.suggestion(name, known);
        String where = p.head().equals("platform") && scope.perIndex()
                ? "; tags, push and annotations name one multi-arch index for all platforms, so {platform…} has no single value here"
                : p.head().equals("platform") ? "; {platform…} needs platforms: on this entry"
                : hint != null ? "; did you mean {" + hint + "}?"
                : "; known here: " + String.join(" ", known.stream().map(k -> "{" + k + "}").toList());
        return Optional.of("unknown placeholder {" + name + "}" + where);
    }
}
