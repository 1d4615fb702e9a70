package dev.cutter.plan;

import dev.cutter.plan.Action.ArchiveFile;
import dev.cutter.spec.Cell;
import dev.cutter.spec.Matrix;
import dev.cutter.spec.MatrixSpec;
import dev.cutter.spec.Spec;
import dev.cutter.spec.Spec.ArchiveSpec;
import dev.cutter.spec.Spec.BuildSpec;
import dev.cutter.spec.Spec.ImageSpec;
import dev.cutter.spec.Spec.PackageSpec;
import dev.cutter.spec.Spec.RegistrySpec;
import dev.cutter.spec.Spec.ReleaseSpec;
import dev.cutter.spec.Spec.RepositoryRef;
import dev.cutter.spec.Spec.RepositorySpec;
import dev.cutter.spec.Spec.TagPolicy;
import dev.cutter.spec.Spec.TagSpec;
import dev.cutter.spec.Template;
import dev.cutter.version.FloatingTags;
import dev.cutter.version.Glob;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Turns a spec and a release context into a {@link Plan}. A pure function: no I/O, no clock,
 * no randomness; jobs come out in spec order so the same inputs give the same plan.
 */
public final class Planner {
    /** {@code --only} keys that pick entries of a section by id rather than matrix values. */
    /** The sections {@code --only KIND=ID} narrows. */
    public static final List<String> SECTION_FILTERS = Kind.selectable();

    private static final Pattern OCI_TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    private static final Pattern OCI_PATH = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");

    private final Spec spec;
    private final ReleaseContext context;
    private final Map<String, List<String>> sectionFilters = new HashMap<>();
    private final Map<String, List<String>> axisFilters = new HashMap<>();
    private final List<Job> jobs = new ArrayList<>();
    private final Set<String> ids = new HashSet<>();
    private final List<Publication> publications = new ArrayList<>();
    private final Map<String, Integer> groups = new TreeMap<>();
    /** Rendered build output path → the build job producing it. */
    private final Map<String, String> outputs = new LinkedHashMap<>();
    private final Map<String, List<String>> jobsByEntry = new LinkedHashMap<>();
    /** The axes that name cells of the entry being planned (see {@link #cells}). */
    private Set<String> naming = Set.of();
    /** repository:tag → the job publishing it. */
    private final Map<String, String> claims = new HashMap<>();

    private Planner(Spec spec, ReleaseContext context) {
        this.spec = spec;
        this.context = context;
    }

    public static Plan plan(Spec spec, ReleaseContext context) {
        return new Planner(spec, context).run();
    }

    /**
     * Where the jobs of a run spread over CI machines leave their outputs ({@code execution.artifacts}),
     * rendered for {@code context}: the repository and how to reach its registry.
     */
    public static Optional<Action.Published> artifactRepository(Spec spec, ReleaseContext context) {
        Planner planner = new Planner(spec, context);
        return spec.execution().artifacts().map(ref -> new Action.Published(planner.repository(ref, Cell.EMPTY), "",
                planner.access(ref.registry())));
    }

    private Plan run() {
        splitFilters();
        if (context.component().isPresent()) {
            components(); // a component release edits pins and tags the module; artifacts come with the project
            return plan();
        }
        projectPins = pins(Optional.empty());
        builds();
        images();
        List<String> files = new ArrayList<>();
        archives(files);
        packages(files);
        checksums(files);
        signs();
        repositories();
        releases();
        validations();
        notifications();
        return plan();
    }

    private Plan plan() {
        return new Plan(Plan.SCHEMA, context.project(), context.version().text(), spec.version().scheme(), context.tag(),
                context.channel().name(),
                context.channel().rolling(), context.component(), context.sha(), List.copyOf(jobs),
                List.copyOf(publications), Map.copyOf(groups));
    }

    // ---- filters ------------------------------------------------------------------------------

    private void splitFilters() {
        Set<String> axes = new HashSet<>();
        List<MatrixSpec> matrices = new ArrayList<>();
        spec.builds().forEach(b -> matrices.add(b.matrix()));
        spec.images().forEach(i -> matrices.add(i.matrix()));
        spec.archives().forEach(a -> matrices.add(a.matrix()));
        spec.packages().forEach(p -> matrices.add(p.matrix()));
        for (MatrixSpec m : matrices) {
            m.axes().forEach(a -> axes.add(a.name()));
            m.rows().forEach(r -> axes.addAll(r.keySet()));
            m.include().forEach(r -> axes.addAll(r.keySet()));
        }
        context.only().forEach((key, values) -> {
            if (SECTION_FILTERS.contains(key) && !axes.contains(key)) {
                sectionFilters.put(key, values);
                for (String value : values) {
                    if (!sectionIds(key).contains(value)) {
                        throw new PlanException("--only " + key + "=" + value + ": no " + key + " has id '" + value
                                + "'; ids: " + String.join(", ", sectionIds(key)));
                    }
                }
            } else if (axes.contains(key)) {
                axisFilters.put(key, values);
                for (String value : values) {
                    boolean known = matrices.stream().anyMatch(m -> Matrix.expand(m).stream()
                            .anyMatch(c -> c.get(key).map(v -> v.key().equals(value)).orElse(false)));
                    if (!known) {
                        throw new PlanException("--only " + key + "=" + value + ": no matrix cell has " + key + "=" + value);
                    }
                }
            } else {
                List<String> known = new ArrayList<>(SECTION_FILTERS);
                known.addAll(new java.util.TreeSet<>(axes));
                throw new PlanException("--only " + key + ": neither a matrix axis nor a section; use one of "
                        + String.join(", ", known));
            }
        });
    }

    private List<String> sectionIds(String section) {
        return switch (section) {
            case "build" -> spec.builds().stream().map(BuildSpec::id).toList();
            case "image" -> spec.images().stream().map(ImageSpec::id).toList();
            case "archive" -> spec.archives().stream().map(ArchiveSpec::id).toList();
            case "package" -> spec.packages().stream().map(PackageSpec::id).toList();
            case "repository" -> spec.repositories().stream().map(RepositorySpec::id).toList();
            case "release" -> spec.releases().stream().map(ReleaseSpec::id).toList();
            case "validate" -> spec.validate().stream().map(Spec.ValidateSpec::id).toList();
            default -> List.of();
        };
    }

    private boolean selected(String section, String id) {
        List<String> only = sectionFilters.get(section);
        return only == null || only.contains(id);
    }

    /** Whether the channel sends this release to {@code target} (a registry, release or repository). */
    private boolean targeted(String target) {
        return context.channel().targets().isEmpty() || context.channel().targets().contains(target);
    }

    /**
     * The entry's cells; job ids name them by the axes that vary among all its cells (before
     * {@code --only}), so a job has the same id however the plan was filtered.
     */
    private List<Cell> cells(MatrixSpec matrix) {
        naming = Cell.varying(Matrix.expand(matrix));
        return Matrix.expand(matrix, axisFilters);
    }

    // ---- rendering ----------------------------------------------------------------------------

    private String render(Template template, Cell cell) {
        return rendering(template, () -> template.render(scope(cell)));
    }

    /**
     * A path inside the project (or inside the archive, image or dist directory it names): after
     * rendering, since a value (a var from the API, a data file) may be what leads it out.
     */
    private String path(Template template, Cell cell) {
        String path = render(template, cell);
        dev.cutter.content.ProjectPaths.problem(path).ifPresent(problem -> {
            throw new PlanException(where(template, 0) + problem);
        });
        return path;
    }

    private List<String> paths(List<Template> templates, Cell cell) {
        return templates.stream().map(t -> path(t, cell)).toList();
    }

    /** A command with its values kept out of its shell text; see {@link Template#renderCommand}. */
    private Template.ShellCommand command(Template template, Cell cell, Map<String, String> env) {
        Template.ShellCommand command = rendering(template, () -> template.renderCommand(scope(cell)));
        env.keySet().stream().filter(command.env()::containsKey).findFirst().ifPresent(name -> {
            throw new PlanException(where(template, 0) + "env: " + name + " is a name Cutter uses for a value of this command; "
                    + "choose another");
        });
        Map<String, String> merged = new LinkedHashMap<>(env);
        merged.putAll(command.env());
        return new Template.ShellCommand(command.text(), merged);
    }

    private Template.Scope scope(Cell cell) {
        return name -> cell.lookup(name).or(() -> context.lookup(name));
    }

    private <T> T rendering(Template template, java.util.function.Supplier<T> render) {
        try {
            return render.get();
        } catch (Template.UnsafeValueException e) {
            throw new PlanException(where(template, e.placeholder().offset()) + e.getMessage());
        } catch (Template.UnresolvedPlaceholderException e) {
            String name = e.placeholder().name();
            String hint = switch (name) {
                case "sha", "short_sha" -> "run inside a git checkout or pass --sha COMMIT";
                default -> "this matrix cell has no value for it";
            };
            throw new PlanException(where(template, e.placeholder().offset()) + "{" + name + "} has no value: " + hint);
        }
    }

    private Optional<String> render(Optional<Template> template, Cell cell) {
        return template.map(t -> render(t, cell));
    }

    private List<String> render(List<Template> templates, Cell cell) {
        return templates.stream().map(t -> render(t, cell)).toList();
    }

    private Map<String, String> render(Map<String, Template> templates, Cell cell) {
        Map<String, String> out = new LinkedHashMap<>();
        templates.forEach((k, v) -> out.put(k, render(v, cell)));
        return out;
    }

    private String where(Template template, int offset) {
        var at = template.locationOf(offset);
        return spec.file() + (at.line() > 0 ? ":" + at.line() + ":" + at.column() : "") + ": "
                + (template.path().isEmpty() ? "" : template.path() + ": ");
    }

    // ---- jobs ---------------------------------------------------------------------------------

    private String add(String kind, String entry, Cell cell, List<String> suffix, Needs needs, Optional<String> group,
            Action action) {
        StringBuilder id = new StringBuilder(kind).append('/').append(entry);
        String slug = cell.slug(naming);
        if (!slug.isEmpty()) {
            id.append('/').append(slug);
        }
        suffix.forEach(s -> id.append('/').append(s));
        String unique = id.toString();
        for (int n = 2; ids.contains(unique); n++) {
            unique = id + "~" + n;
        }
        ids.add(unique);
        jobs.add(new Job(unique, kind, entry, List.copyOf(new java.util.TreeSet<>(needs.values)), cell.labels(), group, action));
        jobsByEntry.computeIfAbsent(kind + "/" + entry, k -> new ArrayList<>()).add(unique);
        return unique;
    }

    /** A small accumulator of job ids, sorted on use. */
    private static final class Needs {
        final Set<String> values = new LinkedHashSet<>();

        Needs add(String id) {
            values.add(id);
            return this;
        }

        Needs addAll(java.util.Collection<String> ids) {
            values.addAll(ids);
            return this;
        }
    }

    private List<String> entryJobs(String kind, String entry) {
        return jobsByEntry.getOrDefault(kind + "/" + entry, List.of());
    }

    /** The project's own pins (those naming no component): every build waits for them. */
    private Needs projectPins = new Needs();

    private Needs explicitNeeds(List<String> builds) {
        Needs needs = new Needs();
        builds.forEach(b -> needs.addAll(entryJobs("build", b)));
        return needs;
    }

    /** Build jobs whose declared outputs a file selection reads: exact paths or glob matches. */
    private void producers(String source, Needs needs) {
        String normalized = normalize(source);
        String producer = outputs.get(normalized);
        if (producer != null) {
            needs.add(producer);
            return;
        }
        if (normalized.contains("*") || normalized.contains("?")) {
            Glob glob = new Glob(normalized);
            outputs.forEach((path, job) -> {
                if (glob.matches(path)) {
                    needs.add(job);
                }
            });
        } else {
            // a directory holding outputs
            String prefix = normalized.endsWith("/") ? normalized : normalized + "/";
            outputs.forEach((path, job) -> {
                if (path.startsWith(prefix)) {
                    needs.add(job);
                }
            });
        }
    }

    private static String normalize(String path) {
        String p = path.replace('\\', '/');
        while (p.startsWith("./")) {
            p = p.substring(2);
        }
        return p;
    }

    private void builds() {
        for (BuildSpec build : inDependencyOrder(spec.builds())) {
            if (!selected("build", build.id())) {
                continue;
            }
            Optional<String> group = group("build/" + build.id(), build.concurrency());
            for (Cell cell : cells(build.matrix())) {
                List<String> outs = paths(build.outputs(), cell);
                Template.ShellCommand command = command(build.run(), cell, render(build.env(), cell));
                String id = add("build", build.id(), cell, List.of(), explicitNeeds(build.needs()).addAll(projectPins.values), group,
                        new Action.Build(command.text(), command.env(), build.dir(),
                                paths(build.inputs(), cell), outs, build.timeout().map(java.time.Duration::toSeconds),
                                build.retries(), spec.execution().inheritEnv()));
                outs.forEach(o -> outputs.putIfAbsent(normalize(o), id));
            }
        }
    }

    /** Builds ordered so each comes after the builds it needs (spec order otherwise; no cycles, the validator saw to it). */
    private static List<BuildSpec> inDependencyOrder(List<BuildSpec> builds) {
        Map<String, BuildSpec> byId = new LinkedHashMap<>();
        builds.forEach(b -> byId.put(b.id(), b));
        List<BuildSpec> ordered = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        for (BuildSpec build : builds) {
            place(build, byId, placed, ordered);
        }
        return ordered;
    }

    private static void place(BuildSpec build, Map<String, BuildSpec> byId, Set<String> placed, List<BuildSpec> ordered) {
        if (!placed.add(build.id())) {
            return;
        }
        for (String need : build.needs()) {
            BuildSpec dependency = byId.get(need);
            if (dependency != null) {
                place(dependency, byId, placed, ordered);
            }
        }
        ordered.add(build);
    }

    private Optional<String> group(String name, int limit) {
        if (limit <= 0) {
            return Optional.empty();
        }
        groups.put(name, limit);
        return Optional.of(name);
    }

    private void images() {
        for (ImageSpec image : spec.images()) {
            if (!selected("image", image.id())) {
                continue;
            }
            Map<Cell, List<Cell>> indexes = new LinkedHashMap<>();
            for (Cell cell : cells(image.matrix())) {
                indexes.computeIfAbsent(cell.without(MatrixSpec.PLATFORM), k -> new ArrayList<>()).add(cell);
            }
            for (Map.Entry<Cell, List<Cell>> index : indexes.entrySet()) {
                image(image, index.getKey(), index.getValue());
            }
        }
    }

    private void image(ImageSpec image, Cell indexCell, List<Cell> platformCells) {
        Needs platformJobs = new Needs();
        List<String> platforms = new ArrayList<>();
        for (Cell cell : platformCells) {
            String platform = cell.get(MatrixSpec.PLATFORM).orElseThrow().key();
            platforms.add(platform);
            Needs needs = explicitNeeds(image.needs());
            Map<String, String> files = new TreeMap<>();
            image.files().forEach((dst, src) -> {
                String source = path(src, cell);
                producers(source, needs);
                files.put(dst, source);
            });
            Map<String, String> labels = new TreeMap<>(render(image.labels(), cell));
            platformJobs.add(add("image", image.id(), indexCell, List.of(slugOf(platform)), needs, Optional.empty(),
                    new Action.Image(platform, render(image.from(), cell), render(image.dockerfile(), cell), files,
                            render(image.entrypoint(), cell), render(image.cmd(), cell), render(image.env(), cell),
                            render(image.workdir(), cell), render(image.user(), cell), labels, image.compression())));
        }
        String index = add("index", image.id(), indexCell, List.of(), platformJobs, Optional.empty(),
                new Action.Index(List.copyOf(platforms), new TreeMap<>(render(image.annotations(), indexCell))));

        List<String> tags = new ArrayList<>();
        List<String> floating = new ArrayList<>();
        List<String> rolling = new ArrayList<>();
        Map<String, String> lines = new TreeMap<>();
        for (TagSpec tag : image.tags()) {
            String text = render(tag.template(), indexCell);
            if (text.isEmpty()) {
                continue; // a tag that renders empty is not made (data-driven optional tags)
            }
            if (!OCI_TAG.matcher(text).matches()) {
                throw new PlanException(where(tag.template(), 0) + "tag '" + text + "' is not a valid OCI tag"
                        + " (letters, digits, '_', '.', '-'; at most 128; not starting with '.' or '-')"
                        + (text.contains("+") ? "; semver build metadata '+…' cannot be in a tag" : ""));
            }
            TagPolicy policy = tag.policy();
            if (policy != TagPolicy.IMMUTABLE && !context.channel().floating()) {
                continue; // this channel never moves floating tags (e.g. release candidates)
            }
            if (tags.contains(text)) {
                continue;
            }
            tags.add(text);
            if (policy == TagPolicy.FORWARD) {
                floating.add(text);
                lines.put(text, FloatingTags.lineOf(tag.template().source()).name().toLowerCase());
            } else if (policy == TagPolicy.ALWAYS) {
                rolling.add(text);
            }
        }
        RepositoryRef push = image.push().orElseThrow();
        if (!targeted(push.registry())) {
            return;
        }
        String repository = repository(push, indexCell);
        String pushJob = add("push", image.id(), indexCell, List.of(), new Needs().add(index),
                group("push/" + push.registry(), spec.registries().get(push.registry()).concurrency()),
                new Action.Push(push.registry(), repository, List.copyOf(tags), List.copyOf(floating), lines,
                        List.copyOf(rolling), access(push.registry())));
        claim(repository, tags, pushJob, image);
        publications.add(new Publication(image.id(), indexCell.labels(), "push", push.registry(), repository, "",
                List.copyOf(platforms), List.copyOf(tags), List.copyOf(floating), lines, List.copyOf(rolling), pushJob));

        for (Spec.ReplicateSpec replicate : spec.replicate()) {
            if (!replicate.image().equals(image.id())) {
                continue;
            }
            Optional<String> group = group("replicate/" + image.id(), replicate.concurrency());
            for (RepositoryRef to : replicate.to()) {
                if (!targeted(to.registry())) {
                    continue;
                }
                String target = repository(to, indexCell);
                if (target.equals(repository)) {
                    continue;
                }
                String job = add("replicate", image.id(), indexCell, List.of(to.registry()), new Needs().add(pushJob),
                        group, new Action.Replicate(to.registry(), repository, target, List.copyOf(tags),
                                List.copyOf(floating), lines, List.copyOf(rolling), access(to.registry())));
                claim(target, tags, job, image);
                publications.add(new Publication(image.id(), indexCell.labels(), "replica", to.registry(), target,
                        repository, List.copyOf(platforms), List.copyOf(tags), List.copyOf(floating), lines,
                        List.copyOf(rolling), job));
            }
        }
    }

    private Action.Access access(String registryName) {
        RegistrySpec registry = spec.registries().get(registryName);
        return new Action.Access(registry.auth(), render(registry.username(), Cell.EMPTY), render(registry.password(), Cell.EMPTY),
                registry.insecure(), registry.chunk());
    }

    /** Two publications may not put one tag in one repository: one would silently overwrite the other. */
    private void claim(String repository, List<String> tags, String job, ImageSpec image) {
        for (String tag : tags) {
            String previous = claims.putIfAbsent(repository + ":" + tag, job);
            if (previous != null) {
                throw new PlanException(spec.file() + ":" + image.location().line() + ":" + image.location().column()
                        + ": images: " + repository + ":" + tag + " is published by both " + previous + " and " + job
                        + "; make the tags differ per matrix cell (e.g. add {variant.suffix})");
            }
        }
    }

    /** {@code host[:port][/prefix]/path} for a registry, {@code oci:DIR/path} for a layout. */
    private String repository(RepositoryRef ref, Cell cell) {
        String path = render(ref.path(), cell);
        if (!OCI_PATH.matcher(path).matches()) {
            throw new PlanException(where(ref.path(), 0) + "'" + path + "' is not a valid repository path"
                    + " (lower-case letters, digits and separators '.', '_', '-', '/')");
        }
        RegistrySpec registry = spec.registries().get(ref.registry());
        if (registry.isLayout()) {
            return "oci:" + stripSlash(render(registry.layout().orElseThrow(), Cell.EMPTY)) + "/" + path;
        }
        // a url written oci:DIR (as skopeo does) is a layout too: one --var switches a target to local
        return stripSlash(render(registry.url().orElseThrow(), Cell.EMPTY)) + "/" + path;
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._]+");

    private static String slugOf(String text) {
        return UNSAFE.matcher(text).replaceAll("-");
    }

    private void archives(List<String> files) {
        for (ArchiveSpec archive : spec.archives()) {
            if (!selected("archive", archive.id())) {
                continue;
            }
            for (Cell cell : cells(archive.matrix())) {
                Needs needs = explicitNeeds(archive.needs());
                List<ArchiveFile> entries = new ArrayList<>();
                for (Spec.FileSpec file : archive.files()) {
                    String src = path(file.src(), cell);
                    producers(src, needs);
                    entries.add(new ArchiveFile(src, file.dst().map(d -> path(d, cell)), file.mode()));
                }
                String name = path(archive.name(), cell);
                add("archive", archive.id(), cell, List.of(), needs, Optional.empty(),
                        new Action.Archive(archive.format(), name, List.copyOf(entries), archive.installOrder()));
                files.add(name);
            }
        }
    }

    private void packages(List<String> files) {
        for (PackageSpec pkg : spec.packages()) {
            if (!selected("package", pkg.id())) {
                continue;
            }
            for (String format : pkg.formats()) {
                for (Cell cell : cells(pkg.matrix())) {
                    Needs needs = explicitNeeds(pkg.needs());
                    Map<String, String> contents = new TreeMap<>();
                    pkg.files().forEach((dst, src) -> {
                        String source = path(src, cell);
                        producers(source, needs);
                        contents.put(dst, source);
                    });
                    Map<String, String> config = new TreeMap<>();
                    pkg.configFiles().forEach((dst, src) -> {
                        String source = path(src, cell);
                        producers(source, needs);
                        config.put(dst, source);
                    });
                    String name = render(pkg.name(), cell);
                    if (!name.matches("[A-Za-z0-9][A-Za-z0-9+._-]*")) {
                        throw new PlanException(where(pkg.name(), 0) + "'" + name + "' is not a package name; "
                                + "use lowercase letters, digits, '+', '-' and '.'");
                    }
                    String arch = PackageArch.of(format, cell.get(MatrixSpec.PLATFORM).map(v -> v.fields().get("arch")).orElse("all"));
                    String version = PackageArch.version(format, context.version().text());
                    String file = format.equals("deb") ? name + "_" + version + "_" + arch + ".deb"
                            : name + "-" + version + "-" + PackageArch.RPM_RELEASE + "." + arch + ".rpm";
                    Map<String, List<String>> relations = new TreeMap<>();
                    pkg.relations().forEach((k, v) -> relations.put(k, render(v, cell)));
                    add("package", pkg.id(), cell, List.of(format), needs, Optional.empty(),
                            new Action.Package(format, name, version, arch, render(pkg.description(), cell),
                                    render(pkg.maintainer(), cell), render(pkg.homepage(), cell), render(pkg.license(), cell),
                                    render(pkg.section(), cell), relations, contents, config,
                                    new TreeMap<>(render(pkg.scripts(), cell)), file,
                                    format.equals("rpm") ? render(pkg.signKey(), cell) : Optional.empty(),
                                    format.equals("rpm") ? render(pkg.signPassphrase(), cell) : Optional.empty()));
                    files.add(file);
                }
            }
        }
    }

    private void checksums(List<String> files) {
        spec.checksums().ifPresent(c -> {
            if (files.isEmpty()) {
                return;
            }
            Needs needs = new Needs();
            jobs.stream().filter(j -> j.kind().equals("archive") || j.kind().equals("package")).forEach(j -> needs.add(j.id()));
            add("checksums", "checksums", Cell.EMPTY, List.of(), needs, Optional.empty(),
                    new Action.Checksums(render(c.name(), Cell.EMPTY), c.algorithm()));
        });
    }

    private void signs() {
        for (Spec.SignSpec sign : spec.signs()) {
            Needs needs = new Needs();
            for (Job job : jobs) {
                boolean wanted = switch (sign.artifacts()) {
                    case "checksums" -> job.kind().equals("checksums");
                    case "archives" -> job.kind().equals("archive");
                    case "packages" -> job.kind().equals("package");
                    default -> job.kind().equals("archive") || job.kind().equals("package") || job.kind().equals("checksums");
                };
                if (wanted) {
                    needs.add(job.id());
                }
            }
            if (needs.values.isEmpty()) {
                continue;
            }
            add("sign", sign.id(), Cell.EMPTY, List.of(), needs, Optional.empty(),
                    new Action.Sign(sign.artifacts(), sign.mode(), render(sign.key(), Cell.EMPTY),
                            render(sign.passphrase(), Cell.EMPTY)));
        }
    }

    private void repositories() {
        for (RepositorySpec repo : spec.repositories()) {
            if (!selected("repository", repo.id()) || !targeted(repo.id())) {
                continue;
            }
            String format = repo.type().equals("apt") ? "deb" : "rpm";
            Needs needs = new Needs();
            List<String> files = new ArrayList<>();
            for (Job job : jobs) {
                if (job.action() instanceof Action.Package p && p.format().equals(format) && repo.packages().contains(job.entry())) {
                    needs.add(job.id());
                    files.add(p.file());
                }
            }
            if (files.isEmpty()) {
                continue; // every package it holds was filtered out
            }
            add("repository", repo.id(), Cell.EMPTY, List.of(), needs, Optional.empty(),
                    new Action.Repository(repo.type(), render(repo.publish(), Cell.EMPTY), render(repo.dist(), Cell.EMPTY),
                            render(repo.component(), Cell.EMPTY), List.copyOf(files), repo.keep(), repo.byHash(),
                            repo.contents(), repo.compression(), render(repo.signKey(), Cell.EMPTY),
                            render(repo.signPassphrase(), Cell.EMPTY),
                            repo.ssh().map(s -> new Action.Ssh(render(s.key(), Cell.EMPTY), render(s.passphrase(), Cell.EMPTY),
                                    s.hostKey(), render(s.knownHosts(), Cell.EMPTY)))));
        }
    }

    private void releases() {
        for (ReleaseSpec release : spec.releases()) {
            if (!selected("release", release.id()) || !targeted(release.id())) {
                continue;
            }
            List<String> assets = release.assets().isEmpty() ? defaultAssets() : release.assets();
            Needs needs = new Needs();
            boolean complete = true;
            for (String asset : assets) {
                List<String> producers = new ArrayList<>();
                producers.addAll(entryJobs("archive", asset));
                producers.addAll(entryJobs("package", asset));
                producers.addAll(entryJobs("sign", asset));
                if (asset.equals("checksums")) {
                    producers.addAll(entryJobs("checksums", "checksums"));
                }
                if (producers.isEmpty()) {
                    complete = false; // filtered out: never publish half a release
                }
                needs.addAll(producers);
            }
            if (!complete || needs.values.isEmpty()) {
                continue;
            }
            boolean prerelease = switch (release.prerelease()) {
                case "true" -> true;
                case "false" -> false;
                default -> context.version().isPrerelease();
            };
            add("release", release.id(), Cell.EMPTY, List.of(), needs, Optional.empty(),
                    new Action.Release(render(release.name(), Cell.EMPTY), render(release.store(), Cell.EMPTY),
                            List.copyOf(assets), context.channel().rolling() ? "replace" : release.exists(),
                            release.draft().orElse(false), prerelease, render(release.notes(), Cell.EMPTY),
                            render(release.token(), Cell.EMPTY)));
        }
    }

    private List<String> defaultAssets() {
        List<String> assets = new ArrayList<>();
        spec.archives().forEach(a -> assets.add(a.id()));
        if (spec.checksums().isPresent() && (!spec.archives().isEmpty())) {
            assets.add("checksums");
        }
        spec.signs().forEach(s -> assets.add(s.id()));
        return assets.stream().filter(a -> !entryJobs("archive", a).isEmpty() || !entryJobs("sign", a).isEmpty()
                || (a.equals("checksums") && !entryJobs("checksums", "checksums").isEmpty())).toList();
    }

    /** A component's pins, then its module tag, which is never moved once pushed. */
    private void components() {
        String component = context.component().orElseThrow();
        Needs pins = pins(Optional.of(component));
        add("tag", component, Cell.EMPTY, List.of(), pins, Optional.empty(), new Action.Tag(context.tag(), component));
    }

    private Needs pins(Optional<String> component) {
        Needs pins = new Needs();
        for (Spec.PinSpec pin : spec.pins()) {
            if (!pin.component().equals(component)) {
                continue;
            }
            pins.add(add("pin", pin.id(), Cell.EMPTY, List.of(), new Needs(), Optional.empty(),
                    new Action.Pin(path(pin.file(), Cell.EMPTY), pin.kind(), pin.target(), pin.replace(),
                            render(pin.value(), Cell.EMPTY), pin.revertAfter(), pin.digestOf().map(id -> published(id, pin)))));
        }
        return pins;
    }

    /**
     * Where image {@code id} is published at this version: its push repository and its first
     * immutable tag. An image published under several names (a matrix of variants) is refused:
     * which digest would the pin take?
     */
    private Action.Published published(String id, Spec.PinSpec pin) {
        ImageSpec image = spec.images().stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
        java.util.Set<Cell> indexCells = new java.util.LinkedHashSet<>();
        for (Cell cell : cells(image.matrix())) {
            indexCells.add(cell.without(MatrixSpec.PLATFORM));
        }
        if (indexCells.size() != 1) {
            throw new PlanException(spec.file() + ":" + pin.location().line() + ":" + pin.location().column() + ": pins: image '"
                    + id + "' is published in " + indexCells.size() + " variants; digest-of needs an image with one");
        }
        Cell cell = indexCells.iterator().next();
        RepositoryRef push = image.push().orElseThrow();
        String tag = image.tags().stream().filter(t -> t.policy() == TagPolicy.IMMUTABLE).map(t -> render(t.template(), cell))
                .filter(t -> !t.isEmpty()).findFirst().orElseThrow(() -> new PlanException(spec.file() + ": pins: image '" + id
                        + "' has no immutable tag (such as \"{version}\") to read its digest by"));
        return new Action.Published(repository(push, cell), tag, access(push.registry()));
    }

    private void validations() {
        List<String> published = jobs.stream().filter(j -> Set.of("push", "replicate", "repository", "release", "tag")
                .contains(j.kind())).map(Job::id).toList();
        for (Spec.ValidateSpec v : spec.validate()) {
            if (!selected("validate", v.id())) {
                continue;
            }
            if (v.image().isPresent() && entryJobs("index", v.image().get()).isEmpty()) {
                continue;
            }
            Map<String, String> env = render(v.env(), Cell.EMPTY);
            Optional<Template.ShellCommand> command = v.run().map(t -> command(t, Cell.EMPTY, env));
            Optional<String> run = command.map(Template.ShellCommand::text);
            Map<String, String> withValues = command.map(Template.ShellCommand::env).orElse(env);
            add("validate", v.id(), Cell.EMPTY, List.of(), new Needs().addAll(published), Optional.empty(),
                    new Action.Validate(v.check(), run, v.image(), v.platform(), withValues,
                            v.timeout().map(java.time.Duration::toSeconds), spec.execution().inheritEnv()));
        }
    }

    private void notifications() {
        if (jobs.isEmpty()) {
            return;
        }
        List<String> all = jobs.stream().map(Job::id).toList();
        for (Spec.NotifySpec n : spec.notifications()) {
            add("notify", n.id(), Cell.EMPTY, List.of(), new Needs().addAll(all), Optional.empty(),
                    new Action.Notify(render(n.url(), Cell.EMPTY), n.format(), n.on()));
        }
    }
}
