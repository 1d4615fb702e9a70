package dev.cutter.spec;

import dev.cutter.version.Channel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A loaded, validated {@code cutter.yaml}: pure data. Every section of the format is here,
 * including those executed by later stages, so the file format is settled in one place.
 * See {@code docs/spec.md} for the meaning of each field.
 */
public record Spec(
        Path file,
        String project,
        VersionSpec version,
        Map<String, VarSpec> vars,
        List<Channel> channels,
        Map<String, RegistrySpec> registries,
        List<BuildSpec> builds,
        List<ImageSpec> images,
        List<ReplicateSpec> replicate,
        List<ArchiveSpec> archives,
        Optional<ChecksumSpec> checksums,
        List<SignSpec> signs,
        List<PackageSpec> packages,
        List<RepositorySpec> repositories,
        List<ReleaseSpec> releases,
        List<ComponentSpec> components,
        List<PinSpec> pins,
        List<ValidateSpec> validate,
        List<NotifySpec> notifications,
        List<TriggerSpec> triggers,
        ExecutionSpec execution) {

    /** The directory the spec's relative paths are resolved against. */
    public Path directory() {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of(".") : parent;
    }

    public Optional<ImageSpec> image(String id) {
        return images.stream().filter(i -> i.id().equals(id)).findFirst();
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

    /** How a git tag maps to a version: {@code tag} pattern and the version scheme. */
    public record VersionSpec(String tag, String scheme) {}

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

    /** A command that produces files. One job per matrix cell. */
    public record BuildSpec(String id, MatrixSpec matrix, Template run, Map<String, Template> env, String dir,
            List<Template> inputs, List<Template> outputs, List<String> needs, Optional<java.time.Duration> timeout,
            int retries, int concurrency, Location location) {}

    /**
     * A container image assembled without a daemon: per platform, a base image plus file layers
     * and config; all platforms of one cell of the other axes form one multi-arch index.
     */
    public record ImageSpec(String id, MatrixSpec matrix, Template from, Optional<Template> dockerfile,
            Map<String, Template> files, List<Template> entrypoint, List<Template> cmd, Map<String, Template> env,
            Optional<Template> workdir, Optional<Template> user, Map<String, Template> labels,
            Map<String, Template> annotations, Optional<RepositoryRef> push, List<TagSpec> tags, List<String> needs,
            String compression, Location location) {}

    /** Copies of an image's publications to further repositories, digest for digest. */
    public record ReplicateSpec(String image, List<RepositoryRef> to, int concurrency, Location location) {}

    /** One file selection of an archive or package: a glob and where matches go inside. */
    public record FileSpec(Template src, Optional<Template> dst, Optional<String> mode) {}

    public record ArchiveSpec(String id, MatrixSpec matrix, String format, Template name, List<FileSpec> files,
            Optional<Integer> installOrder, List<String> needs, Location location) {}

    public record ChecksumSpec(Template name, String algorithm) {}

    /** OpenPGP signatures over the named artifacts with a key that is a secret reference. */
    public record SignSpec(String id, String artifacts, Template key, Optional<Template> passphrase, String mode,
            Location location) {}

    /** A .deb and/or .rpm built from files and metadata, per platform. */
    public record PackageSpec(String id, MatrixSpec matrix, List<String> formats, Template name,
            Template description, Optional<Template> maintainer, Optional<Template> homepage,
            Optional<Template> license, Optional<Template> section, Map<String, List<Template>> relations,
            Map<String, Template> files, Map<String, Template> configFiles, Map<String, Template> scripts,
            Optional<Template> signKey, Optional<Template> signPassphrase, List<String> needs, Location location) {}

    /** A signed apt or yum repository fed with packages and published to a target. */
    public record RepositorySpec(String id, String type, List<String> packages, Template publish,
            Optional<Template> dist, Optional<Template> component, Optional<Template> signKey,
            Optional<Template> signPassphrase, int keep, boolean byHash, boolean contents, List<String> compression,
            Optional<SshSpec> ssh, Location location) {}

    /**
     * How an {@code sftp://} publication logs in: a private key and its passphrase (secret
     * references; else the ssh-agent) and the server's host key, as a {@code SHA256:…}
     * fingerprint or a known_hosts file (else ~/.ssh/known_hosts).
     */
    public record SshSpec(Optional<Template> key, Optional<Template> passphrase, Optional<String> hostKey,
            Optional<Template> knownHosts) {}

    /** A named release with assets in a store ({@code dir:PATH}, an HTTP URL, {@code github:OWNER/REPO}…). */
    /** @param token a secret reference: the forge's API token (else the forge's usual environment variable) */
    public record ReleaseSpec(String id, Template name, Template store, List<String> assets, String exists,
            Optional<Boolean> draft, String prerelease, Optional<Template> notes, Optional<Template> token, Location location) {}

    /** A releasable unit with its own tag pattern and the components it needs released first. */
    public record ComponentSpec(String id, Optional<Template> path, String tag, List<String> needs, Location location) {}

    /** An edit made before tagging: a YAML key, a go.mod require, a kustomize image or a regex. */
    /** {@code digestOf} names an image whose published digest (at this version) is the value, instead of {@code value}. */
    public record PinSpec(String id, Template file, String kind, String target, Optional<String> replace,
            Template value, boolean revertAfter, Optional<String> component, Optional<String> digestOf, Location location) {}

    /** A check after publication; its result gates promotion. */
    /** @param platform with {@code image}: the platform whose filesystem a {@code run} check gets unpacked */
    public record ValidateSpec(String id, String check, Optional<Template> run, Optional<String> image, Optional<String> platform,
            Map<String, Template> env, Optional<java.time.Duration> timeout, Location location) {}

    public record NotifySpec(String id, Template url, String format, List<String> on, Location location) {}

    /** A ref pattern and what it starts: {@code release}, {@code build} (push nothing) or nothing. */
    /**
     * Which refs start what: {@code on} is tag, branch or pull-request, {@code match} a glob, {@code
     * action} release, build or nothing; {@code version} (branches only) names the version a branch
     * releases, with {@code {branch}} and {@code {branch.name}} (its last segment) — else the
     * version tag at HEAD.
     */
    public record TriggerSpec(String on, String match, String action, Optional<String> version, Location location) {}

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
