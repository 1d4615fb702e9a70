package dev.cutter.plan;

import dev.cutter.spec.Cell;
import dev.cutter.spec.Location;
import dev.cutter.spec.Matrix;
import dev.cutter.spec.MatrixSpec;
import dev.cutter.spec.Section;
import dev.cutter.spec.Sections;
import dev.cutter.spec.Spec;
import dev.cutter.spec.Spec.RegistrySpec;
import dev.cutter.spec.Spec.RepositoryRef;
import dev.cutter.spec.Template;
import dev.cutter.version.Glob;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * One plan being made: what each capability's {@link PlanStep} reads (the spec, the release, the
 * filters) and adds to (jobs, publications, concurrency groups), with the rendering every step
 * shares. Pure: no I/O, no clock; jobs come out in the order the steps add them.
 */
public final class Planning {
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

    Planning(Spec spec, ReleaseContext context) {
        this.spec = spec;
        this.context = context;
    }

    public Spec spec() {
        return spec;
    }

    public ReleaseContext context() {
        return context;
    }

    Plan plan() {
        return new Plan(Plan.SCHEMA, context.project(), context.version().text(), spec.version().scheme(), context.tag(),
                context.channel().name(),
                context.channel().rolling(), context.component(), context.sha(), List.copyOf(jobs),
                List.copyOf(publications), Map.copyOf(groups), spec.data());
    }

    // ---- filters ------------------------------------------------------------------------------

    /** Splits {@code --only} into section filters ({@code image=python}) and matrix-axis filters. */
    void splitFilters() {
        Set<String> axes = new HashSet<>();
        List<MatrixSpec> matrices = new ArrayList<>();
        Map<String, List<String>> selectable = new LinkedHashMap<>();
        spec.sections().forEach(new Sections.Visitor() {
            @Override
            public <T> void visit(Section<T> section, T value) {
                section.matrices(value).forEach(e -> matrices.add(e.matrix()));
                section.selectable(value).forEach((kind, entries) -> selectable.merge(kind, entries, (x, y) -> {
                    List<String> both = new ArrayList<>(x);
                    both.addAll(y);
                    return both;
                }));
            }
        });
        for (MatrixSpec m : matrices) {
            m.axes().forEach(a -> axes.add(a.name()));
            m.rows().forEach(r -> axes.addAll(r.keySet()));
            m.include().forEach(r -> axes.addAll(r.keySet()));
        }
        List<String> sections = Kind.selectable();
        context.only().forEach((key, values) -> {
            if (sections.contains(key) && !axes.contains(key)) {
                sectionFilters.put(key, values);
                List<String> known = selectable.getOrDefault(key, List.of());
                for (String value : values) {
                    if (!known.contains(value)) {
                        throw new PlanException("--only " + key + "=" + value + ": no " + key + " has id '" + value
                                + "'; ids: " + String.join(", ", known));
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
                List<String> known = new ArrayList<>(sections);
                known.addAll(new java.util.TreeSet<>(axes));
                throw new PlanException("--only " + key + ": neither a matrix axis nor a section; use one of "
                        + String.join(", ", known));
            }
        });
    }

    /** Whether {@code --only} keeps entry {@code id} of the section narrowed as {@code kind}. */
    public boolean selected(String kind, String id) {
        List<String> only = sectionFilters.get(kind);
        return only == null || only.contains(id);
    }

    /** Whether the channel sends this release to {@code target} (a registry, release or repository). */
    public boolean targeted(String target) {
        return context.channel().releasesTo(target);
    }

    /**
     * The entry's cells; job ids name them by the axes that vary among all its cells (before
     * {@code --only}), so a job has the same id however the plan was filtered.
     */
    public List<Cell> cells(MatrixSpec matrix) {
        naming = Cell.varying(Matrix.expand(matrix));
        return Matrix.expand(matrix, axisFilters);
    }

    // ---- rendering ----------------------------------------------------------------------------

    public String render(Template template, Cell cell) {
        return rendering(template, () -> template.render(scope(cell)));
    }

    public Optional<String> render(Optional<Template> template, Cell cell) {
        return template.map(t -> render(t, cell));
    }

    public List<String> render(List<Template> templates, Cell cell) {
        return templates.stream().map(t -> render(t, cell)).toList();
    }

    public Map<String, String> render(Map<String, Template> templates, Cell cell) {
        Map<String, String> out = new LinkedHashMap<>();
        templates.forEach((k, v) -> out.put(k, render(v, cell)));
        return out;
    }

    /**
     * A path inside the project (or inside the archive, image or dist directory it names): after
     * rendering, since a value (a var from the API, a data file) may be what leads it out.
     */
    public String path(Template template, Cell cell) {
        String path = render(template, cell);
        dev.cutter.content.ProjectPaths.problem(path).ifPresent(problem -> {
            throw new PlanException(where(template, 0) + problem);
        });
        return path;
    }

    public List<String> paths(List<Template> templates, Cell cell) {
        return templates.stream().map(t -> path(t, cell)).toList();
    }

    /** A command with its values kept out of its shell text; see {@link Template#renderCommand}. */
    public Template.ShellCommand command(Template template, Cell cell, Map<String, String> env) {
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

    private <T> T rendering(Template template, Supplier<T> render) {
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

    /** {@code FILE:LINE:COLUMN: field: } of {@code template} at {@code offset}, to start a message with. */
    public String where(Template template, int offset) {
        var at = template.locationOf(offset);
        return spec.file() + (at.line() > 0 ? ":" + at.line() + ":" + at.column() : "") + ": "
                + (template.path().isEmpty() ? "" : template.path() + ": ");
    }

    /** {@code FILE:LINE:COLUMN: } of an entry, to start a message with. */
    public String where(Location location) {
        return spec.file() + ":" + location.line() + ":" + location.column() + ": ";
    }

    // ---- jobs ---------------------------------------------------------------------------------

    /**
     * Adds a job of {@code kind} for {@code entry} in {@code cell}: its id is the kind, the entry,
     * the cell's naming values and {@code suffix}, made unique.
     *
     * @return the job's id
     */
    public String add(String kind, String entry, Cell cell, List<String> suffix, Needs needs, Optional<String> group,
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

    /**
     * As {@link #add}, the job placed just before job {@code before}, which then needs it too: a
     * step that must come between an earlier step's jobs (an attestation between an image's index
     * and its push).
     */
    public String addBefore(String before, String kind, String entry, Cell cell, List<String> suffix, Needs needs,
            Optional<String> group, Action action) {
        String id = add(kind, entry, cell, suffix, needs, group, action);
        Job added = jobs.remove(jobs.size() - 1);
        for (int i = 0; i < jobs.size(); i++) {
            Job job = jobs.get(i);
            if (job.id().equals(before)) {
                java.util.TreeSet<String> wanted = new java.util.TreeSet<>(job.needs());
                wanted.add(id);
                jobs.set(i, new Job(job.id(), job.kind(), job.entry(), List.copyOf(wanted), job.matrix(), job.group(), job.action()));
                jobs.add(i, added);
                return id;
            }
        }
        throw new IllegalArgumentException("no job " + before + " in the plan");
    }

    /** A small accumulator of job ids, sorted on use. */
    public static final class Needs {
        private final Set<String> values = new LinkedHashSet<>();

        public Needs add(String id) {
            values.add(id);
            return this;
        }

        public Needs addAll(Collection<String> ids) {
            values.addAll(ids);
            return this;
        }

        public boolean isEmpty() {
            return values.isEmpty();
        }
    }

    /** The jobs added so far, in order. */
    public List<Job> jobs() {
        return java.util.Collections.unmodifiableList(jobs);
    }

    /** The jobs added so far whose action is of kind {@code kind}, in order, each with its action typed (see {@link Plan#jobs(Class)}). */
    public <A extends Action> java.util.stream.Stream<Planned<A>> jobs(Class<A> kind) {
        return Planned.among(jobs, kind);
    }

    /** The actions of kind {@code kind} of the jobs added so far, in order. */
    public <A extends Action> java.util.stream.Stream<A> actions(Class<A> kind) {
        return jobs(kind).map(Planned::action);
    }

    /** Whether a job added so far has an action of kind {@code kind}. */
    public boolean has(Class<? extends Action> kind) {
        return jobs(kind).findAny().isPresent();
    }

    /** The jobs of {@code kind} made for {@code entry}. */
    public List<String> entryJobs(String kind, String entry) {
        return jobsByEntry.getOrDefault(kind + "/" + entry, List.of());
    }

    /** The jobs of the builds named in an entry's {@code needs}. */
    public Needs buildsNamed(List<String> builds) {
        Needs needs = new Needs();
        builds.forEach(b -> needs.addAll(entryJobs("build", b)));
        return needs;
    }

    /** Records that {@code job} writes {@code path}, so what reads it waits for it. */
    public void output(String path, String job) {
        outputs.putIfAbsent(normalize(path), job);
    }

    /**
     * Files to place ({@code files}: where each goes, from where), their sources rendered for
     * {@code cell} and sorted by where they go; the build jobs that make a source join {@code needs}.
     */
    public Map<String, String> files(Map<String, Template> files, Cell cell, Needs needs) {
        Map<String, String> placed = new TreeMap<>();
        files.forEach((dst, src) -> {
            String source = path(src, cell);
            producers(source, needs);
            placed.put(dst, source);
        });
        return placed;
    }

    /** Build jobs whose declared outputs a file selection reads: exact paths or glob matches. */
    public void producers(String source, Needs needs) {
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

    /**
     * Puts a job of {@code kind} between the jobs that make things and the jobs {@code gated}
     * selects: it needs every job that makes something, each gated job needs it (directly, or through
     * another gated job it needs: a replica through its push), and the plan's
     * order keeps needs first (the gated jobs and what waits for them come after it). Nothing when
     * no job is gated or nothing is made.
     *
     * @param action the gate's action, given the ids of the gated jobs
     * @return the gate's id, if one was put
     */
    public Optional<String> gate(String kind, String entry, java.util.function.Predicate<Job> gated,
            java.util.function.Function<List<String>, Action> action) {
        List<String> gatedIds = jobs.stream().filter(gated).map(Job::id).toList();
        List<String> made = jobs.stream().filter(j -> Kind.traitsOf(j).produces()).map(Job::id).toList();
        if (gatedIds.isEmpty() || made.isEmpty()) {
            return Optional.empty();
        }
        Set<String> after = new HashSet<>(gatedIds); // the gated jobs and every job that waits for one of them
        for (Job job : jobs) {
            if (job.needs().stream().anyMatch(after::contains)) {
                after.add(job.id());
            }
        }
        String id = kind + "/" + entry;
        ids.add(id);
        Job gate = new Job(id, kind, entry, List.copyOf(new java.util.TreeSet<>(made)), Map.of(), Optional.empty(),
                action.apply(gatedIds));
        List<Job> before = new ArrayList<>();
        List<Job> rest = new ArrayList<>();
        for (Job job : jobs) {
            if (!after.contains(job.id())) {
                before.add(job);
            } else if (gatedIds.contains(job.id()) && job.needs().stream().noneMatch(after::contains)) { // else it waits through another
                java.util.TreeSet<String> needs = new java.util.TreeSet<>(job.needs());
                needs.add(id);
                rest.add(new Job(job.id(), job.kind(), job.entry(), List.copyOf(needs), job.matrix(), job.group(), job.action()));
            } else {
                rest.add(job);
            }
        }
        jobs.clear();
        jobs.addAll(before);
        jobs.add(gate);
        jobs.addAll(rest);
        jobsByEntry.computeIfAbsent(kind + "/" + entry, k -> new ArrayList<>()).add(id);
        return Optional.of(id);
    }

    /** A concurrency group of at most {@code limit} jobs at once; none when {@code limit} is 0. */
    public Optional<String> group(String name, int limit) {
        if (limit <= 0) {
            return Optional.empty();
        }
        groups.put(name, limit);
        return Optional.of(name);
    }

    /** Adds a publication: an image index put into a repository with its tags. */
    public void publish(Publication publication) {
        publications.add(publication);
    }

    // ---- registries ---------------------------------------------------------------------------

    /** How the jobs reach registry {@code registryName}: its auth, credentials (unresolved) and transport. */
    public Action.Access access(String registryName) {
        RegistrySpec registry = spec.registries().get(registryName);
        return new Action.Access(registry.auth(), render(registry.username(), Cell.EMPTY), render(registry.password(), Cell.EMPTY),
                registry.insecure(), registry.chunk(), registry.ratelimit());
    }

    /**
     * Two publications may not put one tag in one repository: one would silently overwrite the
     * other. {@code location} is the entry that publishes.
     */
    public void claim(String repository, List<String> tags, String job, Location location) {
        for (String tag : tags) {
            String previous = claims.putIfAbsent(repository + ":" + tag, job);
            if (previous != null) {
                throw new PlanException(where(location) + "images: " + repository + ":" + tag + " is published by both "
                        + previous + " and " + job + "; make the tags differ per matrix cell (e.g. add {variant.suffix})");
            }
        }
    }

    /** {@code host[:port][/prefix]/path} for a registry, {@code oci:DIR/path} for a layout. */
    public String repository(RepositoryRef ref, Cell cell) {
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
}
