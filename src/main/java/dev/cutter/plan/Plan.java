package dev.cutter.plan;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Every effect a release will have, computed before anything happens (law 1): a DAG of
 * {@link Job}s and the {@link Publication}s the image jobs make. A pure value: the same spec and
 * context give the same plan, byte for byte in JSON (see {@code docs/plan-json.md}).
 *
 * @param groups concurrency groups: at most {@code limit} jobs of a group run at once
 * @param data each matrix data file the spec read (relative to its directory) with the sha256 digest
 *     of what was read: a resume with other data is refused by name, not found as some other change
 */
public record Plan(int schema, String project, String version, String scheme, String tag, String channel, boolean rolling,
        Optional<String> component, Optional<String> sha, List<Job> jobs, List<Publication> publications,
        Map<String, Integer> groups,
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
        Map<String, String> data) {

    public static final int SCHEMA = 1;

    /** A plan made from no data file. */
    public Plan(int schema, String project, String version, String scheme, String tag, String channel, boolean rolling,
            Optional<String> component, Optional<String> sha, List<Job> jobs, List<Publication> publications,
            Map<String, Integer> groups) {
        this(schema, project, version, scheme, tag, channel, rolling, component, sha, jobs, publications, groups, Map.of());
    }

    /** The job of {@code id}: looked up by id, not by a walk over the jobs, since handlers ask per job and per publication. */
    public Optional<Job> job(String id) {
        Index index = last;
        if (index.jobs() != jobs) { // the plan a run asks about is nearly always the one asked about before
            Map<String, Job> byId = new java.util.HashMap<>();
            for (Job job : jobs) {
                byId.putIfAbsent(job.id(), job);
            }
            index = new Index(jobs, byId);
            last = index;
        }
        return Optional.ofNullable(index.byId().get(id));
    }

    /** The jobs of the plan last asked about by id, by their ids; compared by identity, never by content. */
    private record Index(List<Job> jobs, Map<String, Job> byId) {}

    private static volatile Index last = new Index(List.of(), Map.of());

    /**
     * The jobs {@code from} comes from within its own entry and cell, nearest first: a replica's
     * push, its index, its images. A gate all publications wait for (the barrier) is not of that
     * lineage, so what a job publishes is found among these, never among another cell's.
     */
    public List<Job> lineage(Job from) {
        List<Job> out = new java.util.ArrayList<>();
        java.util.Deque<String> todo = new java.util.ArrayDeque<>(from.needs());
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (!todo.isEmpty()) {
            job(todo.removeFirst()).filter(j -> seen.add(j.id()) && j.entry().equals(from.entry())
                    && j.matrix().equals(from.matrix())).ifPresent(j -> {
                        out.add(j);
                        todo.addAll(j.needs());
                    });
        }
        return out;
    }

    /**
     * Every job whose work {@code from} takes in, directly or through others: its needs,
     * transitively, but not through a gate (the barrier waits for every job that makes something
     * and hands what needs it nothing). Two plans that give a job the same inputs publish the
     * same thing through it, whatever else either plan makes.
     */
    public List<Job> inputs(Job from) {
        List<Job> out = new java.util.ArrayList<>();
        java.util.Deque<String> todo = new java.util.ArrayDeque<>(from.needs());
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (!todo.isEmpty()) {
            job(todo.removeFirst()).filter(j -> seen.add(j.id()) && !Kind.of(j).traits().gate()).ifPresent(j -> {
                out.add(j);
                todo.addAll(j.needs());
            });
        }
        return out;
    }

    /**
     * What a pull request runs: every job that makes something (builds, images, archives,
     * packages, checksums, signatures), none that publishes, tags, pins, validates or notifies,
     * each as {@link Action#buildingOnly} has it (no keyless signing). Producing jobs never need
     * publishing ones, so the result is a whole DAG.
     */
    public Plan buildOnly() {
        return new Plan(schema, project, version, scheme, tag, channel, rolling, component, sha,
                jobs.stream().filter(j -> Kind.of(j).traits().produces())
                        .map(j -> j.action().buildingOnly() == j.action() ? j
                                : new Job(j.id(), j.kind(), j.entry(), j.needs(), j.matrix(), j.group(), j.action().buildingOnly()))
                        .toList(), List.of(), groups, data);
    }

    /**
     * The promotion of an earlier release into this plan's channel (law 5): each index job named
     * in {@code sources} becomes a {@code source} job fetching that release's index instead of
     * building one, and each archive and package job the {@code fetch} of the candidate's file;
     * builds and images go. Checksums and signatures are made again over the same bytes (the
     * names may follow the version), repositories take the candidate's package files (re-signed
     * indexes, the same packages), releases and checks stay as planned.
     *
     * @throws PlanException when an archive or package of this plan has no file of the candidate to take
     */
    public Plan promoting(Map<String, Action.Source> sources, Map<String, Action.Fetch> fetches) {
        Map<String, String> renamed = new java.util.HashMap<>(); // this plan's package file → the candidate's
        List<Job> kept = new java.util.ArrayList<>();
        for (Job job : jobs) {
            Job j = job;
            if (sources.containsKey(job.id())) {
                j = new Job(job.id(), "source", job.entry(), List.of(), job.matrix(), job.group(), sources.get(job.id()));
            } else if (job.kind().equals("archive") || job.kind().equals("package")) {
                Action.Fetch fetch = fetches.get(job.id());
                if (fetch == null) {
                    throw new PlanException(job.kind() + " " + job.entry() + (job.matrix().isEmpty() ? "" : " " + job.matrix())
                            + " has no file in the candidate to promote; it would have to be built");
                }
                if (job.action() instanceof Action.Package p) {
                    renamed.put(p.file(), fetch.name());
                }
                j = new Job(job.id(), "fetch", job.entry(), List.of(), job.matrix(), job.group(), fetch);
            }
            if (Kind.of(j).traits().promoted()) {
                kept.add(j);
            }
        }
        java.util.Set<String> ids = new java.util.HashSet<>();
        kept.forEach(j -> ids.add(j.id()));
        List<Job> wired = kept.stream().map(j -> new Job(j.id(), j.kind(), j.entry(),
                j.needs().stream().filter(ids::contains).toList(), j.matrix(), j.group(),
                j.action() instanceof Action.Repository r ? withPackages(r, renamed) : j.action())).toList();
        return new Plan(schema, project, version, scheme, tag, channel, rolling, component, sha, wired, publications, groups, data);
    }

    private static Action.Repository withPackages(Action.Repository r, Map<String, String> renamed) {
        return new Action.Repository(r.type(), r.publish(), r.dist(), r.component(),
                r.packages().stream().map(p -> renamed.getOrDefault(p, p)).toList(), r.keep(), r.byHash(), r.contents(),
                r.compression(), r.key(), r.passphrase(), r.ssh(), r.url());
    }

    /**
     * What {@code cutter verify} runs of this plan (a release's recorded plan): its checks, again,
     * against the targets as they are now. Each index job named in {@code sources} becomes a
     * {@code source} job (the index read back from where it was published, when the ledger does
     * not know it); the other jobs stay, so the checks see the whole release, but only the checks
     * and those sources run. A plan without checks gets the built-in ones
     * its publications call for: {@code images} and, with releases, {@code assets}; a plan with
     * attestations gets {@code attestations} unless it checks them itself.
     */
    public Plan verifying(Map<String, Action.Source> sources) {
        List<Job> kept = new java.util.ArrayList<>(jobs.stream().map(job -> sources.containsKey(job.id())
                ? new Job(job.id(), "source", job.entry(), List.of(), job.matrix(), job.group(), sources.get(job.id())) : job).toList());
        if (!has(Action.Validate.class)) {
            List<String> published = jobs.stream().filter(j -> Kind.of(j).traits().published()).map(Job::id).sorted().toList();
            if (!publications.isEmpty()) {
                kept.add(builtInCheck("images", published));
            }
            if (has(Action.Release.class)) {
                kept.add(builtInCheck("assets", published));
            }
        }
        if (has(Action.Attest.class)
                && actions(Action.Validate.class).noneMatch(v -> v.check().equals("attestations"))) {
            kept.add(builtInCheck("attestations", jobs.stream().filter(j -> Kind.of(j).traits().published()).map(Job::id).sorted()
                    .toList()));
        }
        // A check reads what the sources read back: it waits for them, not only for the
        // publishing jobs (done in the release, so no wait at all) it needed there.
        List<Job> waiting = kept.stream().map(job -> !job.kind().equals("validate") || sources.isEmpty() ? job
                : new Job(job.id(), job.kind(), job.entry(), java.util.stream.Stream.concat(job.needs().stream(),
                        sources.keySet().stream()).distinct().sorted().toList(), job.matrix(), job.group(), job.action())).toList();
        return new Plan(schema, project, version, scheme, tag, channel, rolling, component, sha, waiting, publications, groups, data);
    }

    private static Job builtInCheck(String check, List<String> needs) {
        return new Job("validate/" + check, "validate", check, needs, Map.of(), Optional.empty(),
                new Action.Validate(check, Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), Optional.empty()));
    }

    /**
     * The actions of kind {@code kind} in job order, typed (as GoReleaser's {@code artifact.ByType}):
     * {@code plan.actions(Action.Pin.class)} is every pin the plan makes.
     */
    public <A extends Action> Stream<A> actions(Class<A> kind) {
        return jobs(kind).map(Planned::action);
    }

    /** The job of {@code id} if its action is of kind {@code kind}, with its action typed. */
    public <A extends Action> Optional<Planned<A>> job(String id, Class<A> kind) {
        return job(id).filter(j -> kind.isInstance(j.action())).map(j -> new Planned<>(j, kind.cast(j.action())));
    }

    /** The jobs whose action is of kind {@code kind}, in job order, each with its action typed. */
    public <A extends Action> Stream<Planned<A>> jobs(Class<A> kind) {
        return Planned.among(jobs, kind);
    }

    /** Whether a job of the plan has an action of kind {@code kind}. */
    public boolean has(Class<? extends Action> kind) {
        return jobs.stream().anyMatch(j -> kind.isInstance(j.action()));
    }

    /**
     * What the jobs make of kind {@code kind}, in job order: a job's action, or for a promotion's
     * {@code fetch}, the action of the candidate's job that made the file (see {@link Job#made}).
     */
    public <A extends Action> Stream<A> made(Class<A> kind) {
        return jobs.stream().map(Job::made).filter(kind::isInstance).map(kind::cast);
    }
}
