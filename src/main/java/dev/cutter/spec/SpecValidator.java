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

    static void validate(Spec spec, Problems problems) {
        new SpecValidator(spec, problems).run();
    }

    private void run() {
        if (jobsFit()) { // only then may every matrix be expanded here
            projectFiles();
            outputNames();
        }
        versionPatterns();
        channels();
        registries();
        Set<String> builds = unique("builds", spec.builds(), Spec.BuildSpec::id, Spec.BuildSpec::location);
        Set<String> images = unique("images", spec.images(), Spec.ImageSpec::id, Spec.ImageSpec::location);
        Set<String> archives = unique("archives", spec.archives(), Spec.ArchiveSpec::id, Spec.ArchiveSpec::location);
        Set<String> signs = unique("signs", spec.signs(), Spec.SignSpec::id, Spec.SignSpec::location);
        Set<String> packages = unique("packages", spec.packages(), Spec.PackageSpec::id, Spec.PackageSpec::location);
        unique("repositories", spec.repositories(), Spec.RepositorySpec::id, Spec.RepositorySpec::location);
        unique("releases", spec.releases(), Spec.ReleaseSpec::id, Spec.ReleaseSpec::location);
        Set<String> components = unique("components", spec.components(), Spec.ComponentSpec::id, Spec.ComponentSpec::location);
        unique("validate", spec.validate(), Spec.ValidateSpec::id, Spec.ValidateSpec::location);
        unique("pins", spec.pins(), Spec.PinSpec::id, Spec.PinSpec::location);
        unique("notify", spec.notifications(), Spec.NotifySpec::id, Spec.NotifySpec::location);

        for (int i = 0; i < spec.builds().size(); i++) {
            var b = spec.builds().get(i);
            String at = "builds[" + i + "]";
            Scope scope = scope(b.matrix(), at);
            check(b.run(), scope, false);
            b.env().values().forEach(t -> check(t, scope, true));
            b.inputs().forEach(t -> check(t, scope, false));
            b.outputs().forEach(t -> check(t, scope, false));
            references(b.needs(), builds, "builds", at + ".needs", b.location());
        }
        cycles("builds", spec.builds(), Spec.BuildSpec::id, Spec.BuildSpec::needs, Spec.BuildSpec::location);

        for (int i = 0; i < spec.images().size(); i++) {
            var image = spec.images().get(i);
            String at = "images[" + i + "]";
            Scope scope = scope(image.matrix(), at);
            if (!image.matrix().hasPlatforms()) {
                problems.add(image.location(), at, "an image needs platforms; add e.g. platforms: [linux/amd64, linux/arm64]");
            }
            check(image.from(), scope, false);
            image.dockerfile().ifPresent(t -> check(t, scope, false));
            image.files().values().forEach(t -> check(t, scope, false));
            image.entrypoint().forEach(t -> check(t, scope, false));
            image.cmd().forEach(t -> check(t, scope, false));
            image.env().values().forEach(t -> check(t, scope, false));
            image.workdir().ifPresent(t -> check(t, scope, false));
            image.user().ifPresent(t -> check(t, scope, false));
            image.labels().values().forEach(t -> check(t, scope, false));
            Scope perIndex = scope.without(MatrixSpec.PLATFORM);
            image.annotations().values().forEach(t -> check(t, perIndex, false)); // one index for all platforms
            image.push().ifPresent(ref -> repository(ref, perIndex, at + ".push"));
            image.tags().forEach(tag -> check(tag.template(), perIndex, false));
            references(image.needs(), builds, "builds", at + ".needs", image.location());
        }

        for (int i = 0; i < spec.replicate().size(); i++) {
            var r = spec.replicate().get(i);
            String at = "replicate[" + i + "]";
            references(List.of(r.image()), images, "images", at + ".image", r.location());
            Scope scope = spec.image(r.image()).map(img -> scope(img.matrix(), at).without(MatrixSpec.PLATFORM))
                    .orElse(new Scope(Map.of(), at));
            r.to().forEach(ref -> repository(ref, scope, at + ".to"));
        }

        for (int i = 0; i < spec.archives().size(); i++) {
            var a = spec.archives().get(i);
            String at = "archives[" + i + "]";
            Scope scope = scope(a.matrix(), at);
            check(a.name(), scope, false);
            a.files().forEach(file -> files(file, scope));
            references(a.needs(), builds, "builds", at + ".needs", a.location());
        }
        spec.checksums().ifPresent(c -> check(c.name(), new Scope(Map.of(), "checksums"), false));
        for (int i = 0; i < spec.signs().size(); i++) {
            var s = spec.signs().get(i);
            Scope scope = new Scope(Map.of(), "signs[" + i + "]");
            check(s.key(), scope, true);
            s.passphrase().ifPresent(t -> check(t, scope, true));
            if (s.artifacts().equals("checksums") && spec.checksums().isEmpty()) {
                problems.add(s.location(), "signs[" + i + "].artifacts", "signs the checksums file but the spec has no"
                        + " 'checksums:' section; add checksums: true or sign archives");
            }
        }
        for (int i = 0; i < spec.packages().size(); i++) {
            var p = spec.packages().get(i);
            String at = "packages[" + i + "]";
            Scope scope = scope(p.matrix(), at);
            if (!p.matrix().hasPlatforms()) {
                problems.add(p.location(), at, "a package needs platforms; add e.g. platforms: [linux/amd64, linux/arm64]");
            }
            for (Template t : List.of(p.name(), p.description())) {
                check(t, scope, false);
            }
            for (var t : List.of(p.maintainer(), p.homepage(), p.license(), p.section())) {
                t.ifPresent(v -> check(v, scope, false));
            }
            p.relations().values().forEach(list -> list.forEach(t -> check(t, scope, false)));
            p.files().values().forEach(t -> check(t, scope, false));
            p.configFiles().values().forEach(t -> check(t, scope, false));
            p.scripts().values().forEach(t -> check(t, scope, false));
            p.signKey().ifPresent(t -> check(t, scope, true));
            p.signPassphrase().ifPresent(t -> check(t, scope, true));
            references(p.needs(), builds, "builds", at + ".needs", p.location());
        }
        for (int i = 0; i < spec.repositories().size(); i++) {
            var r = spec.repositories().get(i);
            String at = "repositories[" + i + "]";
            Scope scope = new Scope(Map.of(), at);
            references(r.packages(), packages, "packages", at + ".packages", r.location());
            if (r.packages().isEmpty()) {
                problems.add(r.location(), at, "holds no packages; add e.g. packages: [my-app]");
            }
            String format = r.type().equals("apt") ? "deb" : "rpm";
            for (String id : r.packages()) {
                spec.packages().stream().filter(p -> p.id().equals(id) && !p.formats().contains(format)).findFirst()
                        .ifPresent(p -> problems.add(r.location(), at + ".packages", "package '" + id + "' builds no ." + format
                                + " for this " + r.type() + " repository; add " + format + " to its formats"));
            }
            check(r.publish(), scope, false);
            String publish = r.publish().source();
            if (!publish.isEmpty() && !publish.matches("(dir:|sftp://).+")) {
                problems.add(r.publish().location(), at + ".publish", "'" + publish + "' is not a publication target; write"
                        + " dir:PATH (a directory a web server serves) or sftp://[USER@]HOST[:PORT]/PATH (a repo server over SSH)");
            }
            if (r.ssh().isPresent() && !publish.startsWith("sftp://")) {
                problems.add(r.location(), at + ".ssh", "ssh settings are for an sftp:// publication; remove ssh or publish to sftp://");
            }
            r.ssh().ifPresent(ssh -> {
                ssh.key().ifPresent(t -> check(t, scope, true));
                ssh.passphrase().ifPresent(t -> check(t, scope, true));
                ssh.knownHosts().ifPresent(t -> check(t, scope, false));
            });
            r.dist().ifPresent(t -> check(t, scope, false));
            r.component().ifPresent(t -> check(t, scope, false));
            r.signKey().ifPresent(t -> check(t, scope, true));
            r.signPassphrase().ifPresent(t -> check(t, scope, true));
        }
        Set<String> assets = new LinkedHashSet<>(archives);
        assets.addAll(packages);
        assets.addAll(signs);
        spec.checksums().ifPresent(c -> assets.add("checksums"));
        for (int i = 0; i < spec.releases().size(); i++) {
            var r = spec.releases().get(i);
            String at = "releases[" + i + "]";
            Scope scope = new Scope(Map.of(), at);
            check(r.name(), scope, false);
            check(r.store(), scope, false);
            r.notes().ifPresent(t -> check(t, scope, false));
            r.token().ifPresent(t -> check(t, scope, true));
            references(r.assets(), assets, "archives, packages, signs or 'checksums'", at + ".assets", r.location());
        }
        for (int i = 0; i < spec.components().size(); i++) {
            var c = spec.components().get(i);
            String at = "components[" + i + "]";
            c.path().ifPresent(t -> check(t, new Scope(Map.of(), at), false));
            tagPattern(c.tag(), c.location(), at + ".tag");
            references(c.needs(), components, "components", at + ".needs", c.location());
        }
        cycles("components", spec.components(), Spec.ComponentSpec::id, Spec.ComponentSpec::needs, Spec.ComponentSpec::location);
        for (int i = 0; i < spec.pins().size(); i++) {
            var p = spec.pins().get(i);
            String at = "pins[" + i + "]";
            Scope scope = new Scope(Map.of(), at);
            check(p.file(), scope, false);
            check(p.value(), scope, false);
            p.component().ifPresent(c -> references(List.of(c), components, "components", at + ".component", p.location()));
            p.digestOf().ifPresent(image -> references(List.of(image), images, "images", at + ".digest-of", p.location()));
        }
        spec.execution().artifacts().ifPresent(ref -> repository(ref, new Scope(Map.of(), "execution.artifacts"), "execution.artifacts"));
        for (int i = 0; i < spec.validate().size(); i++) {
            var v = spec.validate().get(i);
            String at = "validate[" + i + "]";
            Scope scope = new Scope(Map.of(), at);
            v.run().ifPresent(t -> check(t, scope, false));
            v.env().values().forEach(t -> check(t, scope, true));
            v.image().ifPresent(img -> references(List.of(img), images, "images", at + ".image", v.location()));
        }
        for (int i = 0; i < spec.notifications().size(); i++) {
            check(spec.notifications().get(i).url(), new Scope(Map.of(), "notify[" + i + "]"), true);
        }
    }

    // ---- sizes ---------------------------------------------------------------------------------

    /** One entry's matrix and the jobs it makes, counted without expanding it. */
    private record Jobs(String at, Location location, MatrixSpec matrix, long count) {}

    /**
     * Refuses a spec whose matrices make more jobs than {@code execution.max-jobs}, each entry and
     * all together, before anything expands them: a plan of millions of jobs would exhaust memory.
     */
    private boolean jobsFit() {
        List<Jobs> entries = new ArrayList<>();
        for (int i = 0; i < spec.builds().size(); i++) {
            var b = spec.builds().get(i);
            entries.add(new Jobs("builds[" + i + "]", b.location(), b.matrix(), Matrix.count(b.matrix())));
        }
        for (int i = 0; i < spec.images().size(); i++) { // the platforms are an axis: one image job per platform
            var image = spec.images().get(i);
            entries.add(new Jobs("images[" + i + "]", image.location(), image.matrix(), Matrix.count(image.matrix())));
        }
        for (int i = 0; i < spec.archives().size(); i++) {
            var a = spec.archives().get(i);
            entries.add(new Jobs("archives[" + i + "]", a.location(), a.matrix(), Matrix.count(a.matrix())));
        }
        for (int i = 0; i < spec.packages().size(); i++) {
            var p = spec.packages().get(i);
            long cells = Matrix.count(p.matrix());
            long jobs = cells > Long.MAX_VALUE / Math.max(1, p.formats().size()) ? Long.MAX_VALUE : cells * p.formats().size();
            entries.add(new Jobs("packages[" + i + "]", p.location(), p.matrix(), jobs));
        }
        int max = spec.execution().maxJobs();
        boolean fits = true;
        long total = 0;
        for (Jobs e : entries) {
            if (e.count() > max) {
                problems.add(e.location(), e.at() + ".matrix", "makes " + count(e.count()) + " jobs" + shape(e.matrix())
                        + ", more than execution.max-jobs allows (" + max + "); remove values, add exclude rows, or raise"
                        + " the limit with execution: { max-jobs: N }");
                fits = false;
            }
            total = total > Long.MAX_VALUE - e.count() ? Long.MAX_VALUE : total + e.count();
        }
        if (fits && total > max) {
            List<Jobs> largest = entries.stream().sorted(java.util.Comparator.comparingLong(Jobs::count).reversed()).limit(3).toList();
            problems.add(largest.get(0).location(), "execution.max-jobs", "the matrices together make " + count(total)
                    + " jobs (" + String.join(", ", largest.stream().map(e -> e.at() + ": " + e.count()).toList())
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

    private static final java.util.regex.Pattern DEB_NAME = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9+.-]+");
    private static final java.util.regex.Pattern RPM_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_+][A-Za-z0-9._+-]*");

    /** The project directory: relative paths in the spec are read from there. */
    private java.nio.file.Path directory() {
        java.nio.file.Path parent = spec.file() == null ? null : spec.file().toAbsolutePath().getParent();
        return parent == null ? java.nio.file.Path.of("").toAbsolutePath() : parent;
    }

    /**
     * Every file read from the project stays in it, in every cell: by its letters and, where it
     * exists already, on disk (a symbolic link that leads out). Files a build makes later are
     * checked again by the job that reads them.
     */
    private void projectFiles() {
        Set<String> reported = new HashSet<>();
        for (var image : spec.images()) {
            for (Cell cell : Matrix.expand(image.matrix())) {
                image.files().values().forEach(t -> projectFile(t, cell, reported));
            }
        }
        for (var archive : spec.archives()) {
            for (Cell cell : Matrix.expand(archive.matrix())) {
                archive.files().forEach(f -> projectFile(f.src(), cell, reported));
            }
        }
        for (var pkg : spec.packages()) {
            for (Cell cell : Matrix.expand(pkg.matrix())) {
                pkg.files().values().forEach(t -> projectFile(t, cell, reported));
                pkg.configFiles().values().forEach(t -> projectFile(t, cell, reported));
                pkg.scripts().values().forEach(t -> projectFile(t, cell, reported));
            }
        }
        spec.pins().forEach(pin -> projectFile(pin.file(), Cell.EMPTY, reported));
    }

    private void projectFile(Template template, Cell cell, Set<String> reported) {
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

    /**
     * What the jobs write into {@code dist/} has a plain file name, and no two jobs write the
     * same one (the second would silently replace the first): names are compared as every cell
     * renders them, with placeholders of the release ({version}…) left as written.
     */
    private void outputNames() {
        Map<String, String> written = new HashMap<>();
        Set<String> reported = new HashSet<>();
        for (int i = 0; i < spec.archives().size(); i++) {
            var archive = spec.archives().get(i);
            for (Cell cell : Matrix.expand(archive.matrix())) {
                String at = "archives[" + i + "]";
                Optional<String> problem = dev.cutter.content.ProjectPaths.fileNameProblem(sample(archive.name(), cell, "x"));
                problem.filter(reported::add).ifPresent(p -> problems.add(archive.name().location(), at + ".name", p));
                if (problem.isEmpty()) {
                    unique(written, reported, sample(archive.name(), cell, null), at, cell, archive.name(), "archive");
                }
            }
        }
        spec.checksums().ifPresent(c -> {
            Optional<String> problem = dev.cutter.content.ProjectPaths.fileNameProblem(sample(c.name(), Cell.EMPTY, "x"));
            problem.ifPresent(p -> problems.add(c.name().location(), "checksums.name", p));
            if (problem.isEmpty()) {
                unique(written, reported, sample(c.name(), Cell.EMPTY, null), "checksums", Cell.EMPTY, c.name(), "checksums file");
            }
        });
        for (int i = 0; i < spec.packages().size(); i++) {
            var pkg = spec.packages().get(i);
            String at = "packages[" + i + "]";
            for (String format : pkg.formats()) {
                for (Cell cell : Matrix.expand(pkg.matrix())) {
                    String name = sample(pkg.name(), cell, "x");
                    boolean deb = format.equals("deb");
                    if (!(deb ? DEB_NAME : RPM_NAME).matcher(name).matches()) {
                        if (reported.add(at + format + name)) {
                            problems.add(pkg.name().location(), at + ".name", "'" + name + "' is not " + (deb
                                    ? "a Debian package name (Debian Policy 5.6.7: lower-case letters, digits, '+', '-' and"
                                    + " '.', at least two, starting with a letter or digit)"
                                    : "an rpm package name (letters, digits, '.', '_', '+' and '-', not starting with '.' or"
                                    + " '-')") + "; write e.g. my-app");
                        }
                        continue;
                    }
                    String arch = cell.lookup(MatrixSpec.PLATFORM + ".arch").orElse("all");
                    unique(written, reported, format + " " + sample(pkg.name(), cell, null) + " " + arch, at, cell, pkg.name(),
                            "." + format + " package");
                }
            }
        }
    }

    private void unique(Map<String, String> written, Set<String> reported, String name, String at, Cell cell,
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
    private String sample(Template template, Cell cell, String filler) {
        StringBuilder out = new StringBuilder();
        for (Template.Part part : template.parts()) {
            switch (part) {
                case Template.Literal l -> out.append(l.text());
                case Placeholder p -> out.append(cell.lookup(p.name())
                        .or(() -> p.name().equals("project") ? Optional.of(spec.project()) : Optional.empty())
                        .or(() -> p.head().equals("vars") ? p.field().map(spec.vars()::get).map(Spec.VarSpec::defaultValue)
                                : Optional.empty())
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

    private void tagPattern(String pattern, Location location, String at) {
        try {
            TagPattern.of(pattern);
        } catch (VersionException e) {
            problems.add(location, at, e.getMessage());
        }
    }

    private void channels() {
        Set<String> targets = new TreeSet<>(spec.registries().keySet());
        spec.releases().forEach(r -> targets.add(r.id()));
        spec.repositories().forEach(r -> targets.add(r.id()));
        for (Channel channel : spec.channels()) {
            for (String target : channel.targets()) {
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
            Scope scope = new Scope(Map.of(), "registries." + name);
            r.url().ifPresent(t -> check(t, scope, false));
            r.layout().ifPresent(t -> check(t, scope, false));
            r.username().ifPresent(t -> check(t, scope, true));
            r.password().ifPresent(t -> check(t, scope, true));
        });
    }

    private void repository(RepositoryRef ref, Scope scope, String at) {
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

    private void files(Spec.FileSpec file, Scope scope) {
        check(file.src(), scope, false);
        file.dst().ifPresent(t -> check(t, scope, false));
    }

    private <T> Set<String> unique(String section, List<T> items, Function<T, String> id, Function<T, Location> location) {
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

    private void references(List<String> names, Set<String> known, String what, String at, Location location) {
        for (String name : names) {
            if (!known.contains(name)) {
                String hint = Problems.suggestion(name, known);
                problems.add(location, at, "'" + name + "' is not one of the " + what + " of this spec"
                        + (hint != null ? "; did you mean '" + hint + "'?"
                        : known.isEmpty() ? "" : "; known: " + String.join(", ", known)));
            }
        }
    }

    private <T> void cycles(String section, List<T> items, Function<T, String> id, Function<T, List<String>> needs,
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

    /** The axes an entry's templates may name, each with the fields every one of its values has. */
    record Scope(Map<String, Set<String>> axes, String at, boolean perIndex) {
        Scope(Map<String, Set<String>> axes, String at) {
            this(axes, at, false);
        }

        /** The scope of what names one multi-arch index: every axis but the platform. */
        Scope without(String axis) {
            Map<String, Set<String>> copy = new HashMap<>(axes);
            boolean removed = copy.remove(axis) != null;
            return new Scope(copy, at, perIndex || (removed && axis.equals(MatrixSpec.PLATFORM)));
        }
    }

    private Scope scope(MatrixSpec matrix, String at) {
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
        return new Scope(axes, at);
    }

    private void check(Template template, Scope scope, boolean secretsAllowed) {
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

    private Optional<String> problem(Placeholder p, Scope scope) {
        String name = p.name();
        if (GLOBAL.contains(name)) {
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
