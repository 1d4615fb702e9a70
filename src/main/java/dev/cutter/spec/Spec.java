package dev.cutter.spec;

import dev.cutter.version.Channel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A loaded, validated {@code cutter.yaml}: pure data. The core sections are fields here (what a
 * release is: project, version, vars, channels, registries, components, triggers, execution);
 * each capability's section (builds, images, archives, notify…) is in {@link #sections}, read
 * and checked by the capability's own {@link Section}. See {@code docs/spec.md} for the meaning
 * of each field. {@code data} names each matrix data file read (relative to the spec's
 * directory) with the sha256 digest of what was read, so a plan says which data it was made from.
 */
public record Spec(
        Path file,
        String project,
        VersionSpec version,
        Map<String, VarSpec> vars,
        List<Channel> channels,
        Map<String, RegistrySpec> registries,
        List<ComponentSpec> components,
        List<TriggerSpec> triggers,
        ExecutionSpec execution,
        Sections sections,
        Map<String, String> data) {

    /** The directory the spec's relative paths are resolved against. */
    public Path directory() {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of(".") : parent;
    }

    public Optional<ComponentSpec> component(String id) {
        return components.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    /** Each declared variable's default value, by name. */
    public Map<String, String> varDefaults() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        vars.forEach((name, var) -> out.put(name, var.defaultValue()));
        return out;
    }

    /**
     * A declared input: {@code NAME: value} or {@code NAME: { default: …, pattern: REGEX, api: true }}.
     * A value given on the command line or through the API must match {@code pattern} whole;
     * only variables with {@code api: true} may be set through the server's API, whose callers
     * have fewer rights than the spec's author.
     */
    public record VarSpec(String name, String defaultValue, Optional<java.util.regex.Pattern> pattern, boolean api,
            Location location) {
        /** Why {@code value} may not be this variable's value, or empty when it may. */
        public Optional<String> problem(String value) {
            var control = YamlReader.controlCharacter(value);
            if (control.isPresent()) {
                return Optional.of("vars." + name + ": the value holds the control character "
                        + String.format("U+%04X", control.getAsInt()) + "; only tab and newline may appear in a value");
            }
            return pattern.filter(p -> !p.matcher(value).matches())
                    .map(p -> "vars." + name + ": '" + value + "' does not match its pattern " + p.pattern());
        }
    }

    /**
     * How a git tag maps to a version: {@code tag} pattern and the version scheme; with
     * {@code tagOnPromote}, {@code cutter promote} makes the version's tag on the candidate's commit.
     */
    public record VersionSpec(String tag, String scheme, boolean tagOnPromote) {
        public VersionSpec(String tag, String scheme) {
            this(tag, scheme, false);
        }
    }

    /**
     * Where images go. {@code url} is {@code host[:port][/prefix]} of an OCI registry, or
     * {@code layout} a local OCI image layout directory (the embedded default target).
     * {@code chunk} &gt; 0 uploads blobs in chunks of that many bytes (0: one request per blob).
     */
    public record RegistrySpec(String name, Optional<Template> url, Optional<Template> layout, String auth,
            Optional<Template> username, Optional<Template> password, boolean insecure, int concurrency,
            Optional<String> ratelimit, long chunk) {
        public boolean isLayout() {
            return layout.isPresent();
        }
    }

    /** A {@code REGISTRY/path} reference: a registry declared under {@code registries:} and a path in it. */
    public record RepositoryRef(String registry, Template path, Location location) {}

    /**
     * How a tag may change once it exists: {@code IMMUTABLE} never points elsewhere (versions,
     * commits); {@code FORWARD} moves only to a higher version of its line ({@code latest},
     * {@code 1}, {@code 1.7}); {@code ALWAYS} moves with every release ({@code latest} of images
     * tagged by commit rather than version).
     */
    public enum TagPolicy { IMMUTABLE, FORWARD, ALWAYS }

    /** A tag template and its policy, written ({@code floating: true|false|always}) or inferred. */
    public record TagSpec(Template template, Optional<TagPolicy> declared) {
        /**
         * Unless written, a tag is floating (forward-only) when it names nothing unique to this
         * release — not the full version, the commit or the date — and immutable otherwise.
         */
        public TagPolicy policy() {
            return declared.orElseGet(() -> template.mentions("version") || template.mentions("patch")
                    || template.mentions("prerelease") || template.mentions("sha") || template.mentions("short_sha")
                    || template.mentions("date") ? TagPolicy.IMMUTABLE : TagPolicy.FORWARD);
        }
    }

    /** One file selection of an archive or package: a glob and where matches go inside. */
    public record FileSpec(Template src, Optional<Template> dst, Optional<String> mode) {}

    /** A releasable unit with its own tag pattern and the components it needs released first. */
    public record ComponentSpec(String id, Optional<Template> path, String tag, List<String> needs, Location location) {}

    /**
     * Which refs start what: {@code on} is tag, branch or pull-request, {@code match} a glob, {@code
     * action} release, build or nothing; {@code version} (branches only) the template of the
     * version a branch releases ({@code dev.cutter.trigger.BranchVersions} names its placeholders)
     * — else the version tag at HEAD; {@code paths} (branches only) the files a push must change,
     * since the last release, to start anything.
     */
    public record TriggerSpec(String on, String match, String action, Optional<String> version, List<String> paths,
            Location location) {
        public TriggerSpec {
            paths = List.copyOf(paths);
        }

        public TriggerSpec(String on, String match, String action, Optional<String> version, Location location) {
            this(on, match, action, version, List.of(), location);
        }

        /** Every placeholder a branch trigger's version may use. */
        public static final List<String> VERSION_PLACEHOLDERS = List.of("branch", "branch.name", "date", "short_sha", "commits",
                "last", "last.major", "last.minor", "last.patch");

        /** The placeholders {@code template} uses, in order, each once; an unbalanced brace as {@code "{"} or {@code "}"}. */
        public static List<String> placeholders(String template) {
            List<String> names = new java.util.ArrayList<>();
            int i = 0;
            while (i < template.length()) {
                int open = template.indexOf('{', i);
                int close = template.indexOf('}', i);
                if (open < 0 && close < 0) {
                    break;
                }
                if (open < 0 || (close >= 0 && close < open)) {
                    names.add("}");
                    i = close + 1;
                    continue;
                }
                int end = template.indexOf('}', open);
                String name = end < 0 ? "{" : template.substring(open + 1, end);
                if (name.contains("{")) {
                    name = "{";
                }
                if (!names.contains(name)) {
                    names.add(name);
                }
                if (end < 0) {
                    break;
                }
                i = end + 1;
            }
            return names;
        }
    }

    /**
     * How a run is carried out.
     *
     * @param artifacts where jobs run on several machines ({@code cutter emit}) leave their outputs
     *     for each other: a registry repository, as content-addressed OCI artifacts
     * @param runners the CI runner tags (GitLab) or labels (GitHub) of each platform's jobs, by
     *     platform ({@code linux/arm64}) or {@code default} for jobs of no platform
     * @param inheritEnv the names of variables of Cutter's own environment that commands see
     *     besides the fixed base ({@code PATH}, {@code HOME}, {@code LANG}, {@code TMPDIR}, …) and
     *     what they declare under {@code env:}
     * @param maxJobs the most jobs a plan may hold; a matrix larger than this is refused when the
     *     spec is loaded, before any plan is made
     */
    public record ExecutionSpec(int parallel, boolean failFast, Optional<RepositoryRef> artifacts,
            Map<String, List<String>> runners, List<String> inheritEnv, int maxJobs) {
        /** Unless a spec says otherwise, at most this many jobs: far beyond any real release, far below out-of-memory. */
        public static final int DEFAULT_MAX_JOBS = 100_000;

        public static ExecutionSpec defaults() {
            return new ExecutionSpec(0, true, Optional.empty(), Map.of(), List.of(), DEFAULT_MAX_JOBS);
        }
    }
}
