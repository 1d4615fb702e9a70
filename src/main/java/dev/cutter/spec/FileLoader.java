package dev.cutter.spec;

import dev.cutter.spec.MatrixSpec.Axis;
import dev.cutter.spec.MatrixSpec.AxisValue;
import dev.cutter.spec.Spec.ComponentSpec;
import dev.cutter.spec.Spec.ExecutionSpec;
import dev.cutter.spec.Spec.VarSpec;
import dev.cutter.spec.Spec.FileSpec;
import dev.cutter.spec.Spec.RegistrySpec;
import dev.cutter.spec.Spec.RepositoryRef;
import dev.cutter.spec.Spec.TagSpec;
import dev.cutter.spec.Spec.TriggerSpec;
import dev.cutter.spec.Spec.VersionSpec;
import dev.cutter.spec.YamlNode.ListNode;
import dev.cutter.spec.YamlNode.MapNode;
import dev.cutter.spec.YamlNode.ScalarNode;
import dev.cutter.content.ProjectPaths;
import dev.cutter.version.Channel;
import dev.cutter.version.Channels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads one {@code cutter.yaml} for a {@link SpecLoader}: the core sections here, each
 * capability's section through its {@link Section}, with the shared readers (ids, matrices,
 * repository references, file selections) offered to them by {@link SectionReader}.
 */
final class FileLoader {
    /** The core sections, which every spec has whatever capabilities are installed. */
    static final List<String> CORE_BEFORE = List.of("project", "version", "vars", "channels", "registries");
    static final List<String> CORE_AFTER = List.of("components", "triggers", "execution");

    private final Problems problems;
    private final Path directory;
    private final List<Section<?>> sections;
    private final MatrixGenerator generator;
    /** Each generate command run for this load, and how it went (empty: it wrote its data): once per plan. */
    private final Map<String, Optional<String>> generated = new LinkedHashMap<>();
    private final java.util.Set<String> told = new java.util.HashSet<>();
    /** Each matrix data file read, relative to the spec's directory, and the sha256 digest of what was read. */
    private final Map<String, String> data = new java.util.TreeMap<>();

    FileLoader(Path file, List<Section<?>> sections, MatrixGenerator generator) {
        this(file, sections, generator, null);
    }

    /** A loader that also tells {@code recorder} every key it asks for (a schema is being made); none when null. */
    FileLoader(Path file, List<Section<?>> sections, MatrixGenerator generator, KeyRecorder recorder) {
        this.generator = generator;
        this.problems = new Problems(file, recorder);
        Path parent = file.toAbsolutePath().getParent();
        this.directory = parent == null ? Path.of(".") : parent;
        this.sections = sections;
    }

    Spec load(Path file) {
        return parse(YamlReader.read(problems, file));
    }

    Spec load(String text) {
        return parse(YamlReader.parse(problems, text));
    }

    /** Loads {@code root}; faults the reader found in single values are already in {@code problems}. */
    private Spec parse(YamlNode root) {
        Spec spec = spec(root);
        boolean loadedCleanly = problems.isEmpty();
        try {
            SpecValidator.validate(spec, problems); // reports reference faults too, in the same pass
        } catch (RuntimeException e) {
            if (loadedCleanly) {
                throw e;
            } // a spec with type faults can trip a check; the type faults are what the user must fix first
        }
        problems.throwIfAny();
        return spec;
    }

    private Spec spec(YamlNode root) {
        Fields f = Fields.of(problems, root, "");
        String project = f.required("project", "my-app");
        if (!project.isEmpty() && !project.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            problems.add(f.keyLocation("project"), "project", "'" + project
                    + "' is not a project name; use letters, digits, '.', '_' and '-'");
        }
        VersionSpec version = version(f);
        Map<String, VarSpec> vars = vars(f);
        List<Channel> channels = channels(f);
        Map<String, RegistrySpec> registries = registries(f);
        SectionReader reader = new SectionReader(this, f);
        Sections.Builder sections = Sections.builder();
        this.sections.forEach(section -> read(section, reader, sections));
        Spec spec = new Spec(problems.file(), project, version, vars, channels, registries,
                f.list("components", this::component), f.list("triggers", this::trigger), execution(f), sections.build(),
                Map.copyOf(data));
        f.finish();
        return spec;
    }

    private static <T> void read(Section<T> section, SectionReader reader, Sections.Builder sections) {
        sections.put(section, section.read(reader));
    }

    Path directory() {
        return directory;
    }

    private VersionSpec version(Fields top) {
        Optional<YamlNode> node = top.node("version");
        if (node.isEmpty()) {
            return new VersionSpec("v{version}", "semver");
        }
        Fields f = Fields.of(problems, node.get(), "version");
        problems.remember("version.tag", f.has("tag") ? f.keyLocation("tag") : f.location());
        VersionSpec spec = new VersionSpec(f.string("tag", "v{version}"),
                f.choice("scheme", "semver", List.of("semver", "loose")), f.bool("tag-on-promote", false));
        f.finish();
        return spec;
    }

    private Map<String, VarSpec> vars(Fields top) {
        Map<String, VarSpec> vars = top.map("vars", (node, at) -> {
            String name = at.substring("vars.".length());
            if (!(node instanceof YamlNode.MapNode)) {
                return new VarSpec(name, top.scalar(node, at).orElse(""), Optional.empty(), false, node.location());
            }
            Fields f = Fields.of(problems, node, at);
            Optional<java.util.regex.Pattern> pattern = f.string("pattern").flatMap(regex -> {
                try {
                    return Optional.of(java.util.regex.Pattern.compile(regex));
                } catch (java.util.regex.PatternSyntaxException e) {
                    problems.add(f.keyLocation("pattern"), f.child("pattern"), "not a regular expression: "
                            + e.getDescription() + "; write a Java regex the whole value must match, e.g. '[a-z0-9 ]*'");
                    return Optional.empty();
                }
            });
            String fallback = f.string("default", "");
            boolean api = f.bool("api", false);
            VarSpec var = new VarSpec(name, fallback, pattern, api, f.location());
            var.problem(fallback).ifPresent(p -> problems.add(f.has("default") ? f.keyLocation("default") : f.location(),
                    f.child("default"), p.substring(p.indexOf(':') + 2) + "; the default must be a value the pattern allows"));
            f.finish();
            return var;
        });
        top.keyLocations("vars").forEach((name, location) -> {
            if (!Fields.VARIABLE_NAME.matcher(name).matches()) {
                problems.add(location, "vars." + name, "not a variable name; use letters, digits and '_'");
            }
        });
        return vars;
    }

    private List<Channel> channels(Fields top) {
        if (!top.has("channels")) {
            top.node("channels");
            return Channels.defaults();
        }
        Map<String, Channel> channels = top.map("channels", (node, at) -> {
            Fields f = Fields.of(problems, node, at);
            String name = at.substring("channels.".length());
            problems.remember(at, f.location());
            if (name.isBlank()) {
                problems.add(f.location(), at, "a channel has an empty name; give every channel a name such as \"stable\"");
                name = "(unnamed)";
            }
            Channel channel = new Channel(name, f.string("match", "*"), f.string("suffix", ""),
                    f.bool("floating", true), f.bool("rolling", false),
                    f.has("targets") ? java.util.Optional.of(f.strings("targets")) : java.util.Optional.empty());
            f.finish();
            return channel;
        });
        if (channels.isEmpty()) {
            problems.add(top.keyLocation("channels"), "channels", "declares no channel; remove it or add e.g. stable: { match: \"*\" }");
        }
        return List.copyOf(channels.values());
    }

    private Map<String, RegistrySpec> registries(Fields top) {
        return top.map("registries", (node, at) -> {
            Fields f = Fields.of(problems, node, at);
            String name = at.substring("registries.".length());
            Optional<Template> url = f.template("url");
            Optional<Template> layout = f.template("layout");
            if (url.isPresent() == layout.isPresent()) {
                problems.add(f.location(), at, "give exactly one of 'url' (an OCI registry, e.g. url: registry.example.com)"
                        + " or 'layout' (an OCI layout directory, e.g. layout: dist/oci)");
            }
            url.ifPresent(u -> {
                if (u.source().contains("://")) {
                    problems.add(u.location(), at + ".url", "write the registry as host[:port][/prefix] without a scheme;"
                            + " use 'insecure: true' for plain HTTP on a non-loopback host");
                }
            });
            RegistrySpec registry = new RegistrySpec(name, url, layout,
                    f.choice("auth", layout.isPresent() ? "none" : "docker-config", List.of("none", "docker-config", "basic")),
                    f.template("username"), f.template("password"), f.bool("insecure", false),
                    f.integer("concurrency", 0, 0), budget(f), size(f, "chunk"));
            if (registry.auth().equals("basic") && (registry.username().isEmpty() || registry.password().isEmpty())) {
                problems.add(f.location(), at, "auth: basic needs 'username' and 'password', e.g. password: \"${env:REGISTRY_PASSWORD}\"");
            }
            f.finish();
            return registry;
        });
    }

    /**
     * A registry's request budget, {@code REQUESTS/PERIOD} ({@code 100/6h}, {@code 10/s}): the
     * grammar {@code oci.RateLimits.Budget} reads when the run paces its requests.
     */
    static Optional<String> budget(Fields f) {
        Optional<String> text = f.string("ratelimit");
        if (text.isPresent() && !text.get().matches("\\s*[1-9]\\d{0,8}\\s*/\\s*([1-9]\\d{0,8})?\\s*[smhd]\\s*")) {
            f.problems().add(f.keyLocation("ratelimit"), f.child("ratelimit"), "'" + text.get() + "' is not a request budget;"
                    + " write REQUESTS/PERIOD with the period in s, m, h or d, e.g. ratelimit: 100/6h (Docker Hub's anonymous pulls)");
            return Optional.empty();
        }
        return text;
    }

    /** A size in bytes written as a number or with KiB/MiB/GiB; 0 when absent. */
    long size(Fields f, String key) {
        Optional<String> text = f.string(key);
        if (text.isEmpty()) {
            return 0;
        }
        var m = java.util.regex.Pattern.compile("(\\d+)\\s*(KiB|MiB|GiB)?").matcher(text.get().trim());
        if (!m.matches()) {
            problems.add(f.keyLocation(key), f.child(key), "'" + text.get() + "' is not a size; write e.g. 16MiB or 1048576");
            return 0;
        }
        long unit = m.group(2) == null ? 1 : switch (m.group(2)) {
            case "KiB" -> 1L << 10;
            case "MiB" -> 1L << 20;
            default -> 1L << 30;
        };
        if (m.group(1).length() > 12 || Long.parseLong(m.group(1)) * unit > 1L << 40) {
            problems.add(f.keyLocation(key), f.child(key), "'" + text.get() + "' is more than 1TiB; write e.g. 16MiB");
            return 0;
        }
        return Long.parseLong(m.group(1)) * unit;
    }



    TagSpec tag(Fields owner, YamlNode node, String at) {
        if (node instanceof MapNode) {
            Fields f = Fields.of(problems, node, at);
            Template template = f.requiredTemplate("tag", "\"{version}\"");
            Optional<Spec.TagPolicy> policy = f.string("floating").map(v -> switch (v.toLowerCase()) {
                case "true" -> Spec.TagPolicy.FORWARD;
                case "false" -> Spec.TagPolicy.IMMUTABLE;
                case "always" -> Spec.TagPolicy.ALWAYS;
                default -> {
                    problems.add(f.keyLocation("floating"), f.child("floating"), "'" + v + "' is not a tag policy; write"
                            + " true (moves only forward), false (never moves) or always (moves with every release)");
                    yield null;
                }
            });
            TagSpec tag = new TagSpec(template, policy);
            f.finish();
            return tag;
        }
        return owner.template(node, at).map(t -> new TagSpec(t, Optional.empty())).orElse(null);
    }

    Optional<RepositoryRef> repositoryRef(Fields f, YamlNode node, String at) {
        return f.scalar(node, at).map(text -> {
            int slash = text.indexOf('/');
            if (slash <= 0 || slash == text.length() - 1) {
                problems.add(node.location(), at, "'" + text + "' is not REGISTRY/path; write the name of a registry"
                        + " declared under registries: then the repository path, e.g. build/my-org/my-app");
                return new RepositoryRef("", Template.literal(""), node.location());
            }
            Location pathAt = new Location(node.location().line(), node.location().column() + slash + 1);
            return new RepositoryRef(text.substring(0, slash), f.parseTemplate(text.substring(slash + 1), pathAt, at),
                    node.location());
        });
    }



    FileSpec fileSpec(Fields owner, YamlNode node, String at) {
        if (node instanceof MapNode) {
            Fields f = Fields.of(problems, node, at);
            FileSpec file = new FileSpec(f.requiredTemplate("src", "dist/**"), f.template("dst"), f.string("mode"));
            f.string("mode").ifPresent(mode -> {
                if (!mode.matches("0?[0-7]{3,4}")) {
                    problems.add(f.keyLocation("mode"), f.child("mode"), "'" + mode + "' is not an octal file mode; write e.g. \"0755\"");
                }
            });
            f.finish();
            return file;
        }
        return owner.template(node, at).map(t -> new FileSpec(t, Optional.empty(), Optional.empty())).orElse(null);
    }




    /**
     * A map of paths inside an image or package to project files. The paths are absolute and
     * normalized: a '..' would place the file elsewhere than written, or outside the root.
     */
    Map<String, Template> installPaths(Fields f, String key) {
        Map<String, Template> files = f.templateMap(key);
        f.keyLocations(key).forEach((path, location) -> {
            boolean normal = path.startsWith("/") && path.length() > 1 && YamlReader.controlCharacter(path).isEmpty()
                    && java.util.Arrays.stream(path.substring(1).split("/", -1))
                            .noneMatch(s -> s.isEmpty() || s.equals(".") || s.equals(".."));
            if (!normal) {
                problems.add(location, f.child(key) + "." + path, "'" + path + "' is not an absolute, normalized path;"
                        + " write it from the root without '.', '..', '//' or a trailing '/', e.g. /usr/local/bin/my-app");
            }
        });
        return files;
    }

    Map<String, Template> scripts(Fields f) {
        Map<String, Template> scripts = f.templateMap("scripts");
        List<String> known = List.of("preinstall", "postinstall", "preremove", "postremove");
        f.keyLocations("scripts").forEach((name, location) -> {
            if (!known.contains(name)) {
                String hint = Problems.suggestion(name, known);
                problems.add(location, f.child("scripts") + "." + name, "unknown script; use " + String.join(", ", known)
                        + (hint == null ? "" : " (did you mean '" + hint + "'?)"));
            }
        });
        return scripts;
    }



    private ComponentSpec component(YamlNode node, String at) {
        Fields f = Fields.of(problems, node, at);
        ComponentSpec component = new ComponentSpec(id(f), f.template("path"), f.string("tag", "{component}/v{version}"),
                f.strings("needs"), f.location());
        f.finish();
        return component;
    }




    private TriggerSpec trigger(YamlNode node, String at) {
        Fields f = Fields.of(problems, node, at);
        List<String> kinds = List.of("tag", "branch", "pull-request");
        List<String> given = kinds.stream().filter(f::has).toList();
        if (given.size() != 1) {
            problems.add(f.location(), at, "give exactly one of tag, branch or pull-request with a pattern, e.g. tag: \"v*\"");
        }
        String on = given.isEmpty() ? "tag" : given.get(0);
        kinds.forEach(f::node);
        Optional<String> version = f.string("version");
        if (version.isPresent() && !on.equals("branch")) {
            problems.add(f.location(), at + ".version", "only a branch trigger names its version; a tag carries its own"
                    + " and a pull request builds without one — remove version");
        }
        version.ifPresent(v -> {
            List<String> unknown = TriggerSpec.placeholders(v).stream().filter(p -> !TriggerSpec.VERSION_PLACEHOLDERS.contains(p)).toList();
            if (!unknown.isEmpty()) {
                String what = unknown.get(0).equals("{") || unknown.get(0).equals("}") ? "an unbalanced brace"
                        : "{" + unknown.get(0) + "}";
                problems.add(f.keyLocation("version"), at + ".version", "'" + v + "': " + what + " is not a placeholder of a"
                        + " branch trigger's version; use {" + String.join("}, {", TriggerSpec.VERSION_PLACEHOLDERS) + "}");
            }
        });
        List<String> paths = f.strings("paths");
        if (!paths.isEmpty() && !on.equals("branch")) {
            problems.add(f.keyLocation("paths"), at + ".paths", "only a branch trigger filters on changed paths; remove paths");
        }
        for (int p = 0; p < paths.size(); p++) {
            String path = paths.get(p);
            if (path.isBlank() || path.startsWith("/") || java.util.Arrays.asList(path.split("/")).contains("..")) {
                problems.add(f.keyLocation("paths"), at + ".paths[" + p + "]", "'" + path + "': give a path in the checkout,"
                        + " relative to its root, e.g. src/ or \"data/*.json\"");
            }
        }
        String match = f.string(on, "*"); // a null pattern (pull-request:) means every ref, as documented
        if (match.isEmpty()) {
            problems.add(f.keyLocation(on), f.child(on), "an empty pattern matches no ref; write \"*\" (or leave the"
                    + " value out) for every ref, or a glob such as \"v*\"");
        }
        TriggerSpec trigger = new TriggerSpec(on, match,
                f.choice("do", on.equals("pull-request") ? "build" : "release", List.of("release", "build", "nothing")),
                version, paths, f.location());
        f.finish();
        return trigger;
    }

    private ExecutionSpec execution(Fields top) {
        Optional<YamlNode> node = top.node("execution");
        if (node.isEmpty()) {
            return ExecutionSpec.defaults();
        }
        Fields f = Fields.of(problems, node.get(), "execution");
        Map<String, List<String>> runners = f.map("runners", (n, at) -> f.items(n, at, (item, a) -> f.scalar(item, a).orElse(null)));
        runners.keySet().stream().filter(p -> !p.equals("default")).forEach(platform -> Platforms.problem(platform).ifPresent(p ->
                problems.add(f.keyLocation("runners"), "execution.runners." + platform, p + "; or write default for jobs of no platform")));
        List<String> inheritEnv = f.strings("inherit-env");
        inheritEnv.stream().filter(name -> !Fields.VARIABLE_NAME.matcher(name).matches()).forEach(name ->
                problems.add(f.keyLocation("inherit-env"), f.child("inherit-env"), "'" + name
                        + "' is not an environment variable name; use letters, digits and '_'"));
        ExecutionSpec spec = new ExecutionSpec(f.integer("parallel", 0, 1), f.bool("fail-fast", true),
                f.node("artifacts").flatMap(n -> repositoryRef(f, n, f.child("artifacts"))), runners, List.copyOf(inheritEnv),
                f.integer("max-jobs", ExecutionSpec.DEFAULT_MAX_JOBS, 1));
        f.finish();
        return spec;
    }

    String id(Fields f) {
        String id = f.required("id", "my-id");
        if (!id.isEmpty() && !id.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            problems.add(f.keyLocation("id"), f.child("id"), "'" + id + "' is not an id; use letters, digits, '.', '_' and '-'");
        }
        return id;
    }

    // ---- matrix ----------------------------------------------------------------------------

    MatrixSpec matrix(Fields f) {
        List<Axis> axes = new ArrayList<>();
        List<Map<String, String>> include = List.of();
        List<Map<String, String>> exclude = List.of();
        List<Map<String, String>> rows = List.of();
        Optional<String> source = Optional.empty();
        Optional<YamlNode> node = f.node("matrix");
        if (node.isPresent()) {
            Fields m = Fields.of(problems, node.get(), f.child("matrix"));
            m.namesOtherKeys(); // its axes
            if (node.get() instanceof MapNode map) {
                for (var e : map.entries().entrySet()) {
                    String name = e.getKey();
                    if (List.of("include", "exclude", "from", "path", "generate").contains(name)) {
                        continue;
                    }
                    m.claim(name);
                    if (!name.matches("[A-Za-z_][A-Za-z0-9_-]*")) {
                        problems.add(e.getValue().keyLocation(), m.child(name), "not an axis name; use letters, digits, '_' and '-'");
                        continue;
                    }
                    axes.add(axis(m, name, e.getValue().value(), m.child(name)));
                }
            }
            Optional<String> from = m.string("from");
            Optional<String> path = m.string("path");
            Optional<String> generate = m.string("generate");
            if (from.isPresent()) {
                source = from;
                try {
                    Path file = ProjectPaths.resolve(directory, from.get());
                    if (generate.isEmpty() || generated(generate.get(), m)) {
                        rows = DataMatrix.read(problems, file, path.orElse("$"), m.keyLocation("from"), m.child("from"));
                        digest(from.get(), file);
                    }
                } catch (ProjectPaths.OutsideProjectException e) {
                    problems.add(m.keyLocation("from"), m.child("from"), e.getMessage());
                }
            } else if (path.isPresent()) {
                problems.add(m.keyLocation("path"), m.child("path"), "'path' goes with 'from: DATA_FILE'; add from or remove path");
            } else if (generate.isPresent()) {
                problems.add(m.keyLocation("generate"), m.child("generate"), "'generate' writes the data file 'from' names;"
                        + " add from: DATA_FILE or remove generate");
            }
            if (source.isPresent() && !axes.isEmpty()) {
                problems.add(m.location(), m.path(), "a matrix read 'from' a data file takes its axes from the file;"
                        + " remove the axes written here or the 'from'");
            }
            List<Axis> known = withPlatforms(f, axes);
            boolean fromFile = source.isPresent();
            include = m.list("include", (n, a) -> checkedRow(m, n, a, known, true, fromFile));
            exclude = m.list("exclude", (n, a) -> checkedRow(m, n, a, known, false, fromFile));
            m.finish();
        }
        axes = new ArrayList<>(withPlatforms(f, axes));
        return new MatrixSpec(List.copyOf(axes), include, exclude, rows, source);
    }

    /**
     * Runs {@code command} unless this load ran it already (two entries read one generated file);
     * whether it gave its data. A failure is told once, where the command is written.
     */
    private boolean generated(String command, Fields m) {
        if (command.isBlank()) {
            problems.add(m.keyLocation("generate"), m.child("generate"), "an empty command; write the command that writes the"
                    + " data file, e.g. generate: scripts/generate-matrix.sh");
            return false;
        }
        Optional<String> failure = generated.computeIfAbsent(command, c -> {
            try {
                generator.generate(c, directory);
                return Optional.empty();
            } catch (MatrixGenerator.Failure e) {
                return Optional.of(e.getMessage());
            }
        });
        if (failure.isPresent() && told.add(command)) { // a second entry with the same command adds no copy
            problems.add(m.keyLocation("generate"), m.child("generate"), failure.get());
        }
        return failure.isEmpty();
    }

    /** Records the digest of the data file read at {@code written}, so a plan names the data it was made from. */
    private void digest(String written, Path file) {
        try {
            data.put(directory.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/'),
                    dev.cutter.content.Digest.sha256(file).toString());
        } catch (java.io.IOException | IllegalArgumentException e) {
            // DataMatrix has told why the file cannot be read
        }
    }

    private AxisValue platform(String text, Location location, String at) {
        Platforms.problem(text).ifPresent(problem -> problems.add(location, at, problem));
        return Platforms.value(text);
    }

    private Axis axis(Fields m, String name, YamlNode node, String at) {
        List<AxisValue> values = new ArrayList<>();
        if (node instanceof ListNode list) {
            for (int i = 0; i < list.items().size(); i++) {
                YamlNode item = list.items().get(i);
                String itemAt = at + "[" + i + "]";
                if (item instanceof MapNode) {
                    Map<String, String> fields = objectFields(m, item, itemAt);
                    String key = fields.getOrDefault("name", String.valueOf(i));
                    values.add(new AxisValue(key, fields));
                } else {
                    m.scalar(item, itemAt).ifPresent(v -> values.add(name.equals(MatrixSpec.PLATFORM)
                            ? platform(v, item.location(), itemAt) : new AxisValue(v, Map.of())));
                }
            }
        } else if (node instanceof MapNode map) {
            map.entries().forEach((key, entry) -> values.add(new AxisValue(key,
                    objectFields(m, entry.value(), at + "." + key))));
        } else {
            problems.add(node.location(), at, "an axis is a list of values or a map of named values, found " + node.describe());
        }
        if (values.isEmpty() && (node instanceof ListNode || node instanceof MapNode)) {
            problems.add(node.location(), at, "an axis needs at least one value");
        }
        List<String> keys = values.stream().map(AxisValue::key).toList();
        if (keys.stream().distinct().count() != keys.size()) {
            problems.add(node.location(), at, "an axis lists a value twice; each value once");
        }
        return new Axis(name, List.copyOf(values));
    }

    private Map<String, String> objectFields(Fields m, YamlNode node, String at) {
        if (!(node instanceof MapNode map)) {
            if (node instanceof ScalarNode s && s.isNull()) {
                return Map.of();
            }
            problems.add(node.location(), at, "expected a map of fields (e.g. { base: debian:bookworm, suffix: \"\" }), found "
                    + node.describe());
            return Map.of();
        }
        Map<String, String> fields = new LinkedHashMap<>();
        map.entries().forEach((key, entry) -> m.scalar(entry.value(), at + "." + key).ifPresent(v -> fields.put(key, v)));
        return java.util.Collections.unmodifiableMap(fields);
    }

    private Map<String, String> row(Fields m, YamlNode node, String at) {
        if (!(node instanceof MapNode map)) {
            problems.add(node.location(), at, "expected a map of axis: value, found " + node.describe());
            return null;
        }
        Map<String, String> row = new LinkedHashMap<>();
        map.entries().forEach((key, entry) -> m.scalar(entry.value(), at + "." + key).ifPresent(v -> row.put(key, v)));
        return java.util.Collections.unmodifiableMap(row);
    }

    /**
     * The {@code platforms:} shorthand as an axis named platform, appended to {@code axes}. Read
     * once per entry: later calls see the same answer.
     */
    private List<Axis> withPlatforms(Fields f, List<Axis> axes) {
        if (platformsRead.containsKey(f)) {
            return platformsRead.get(f);
        }
        List<Axis> out = new ArrayList<>(axes);
        Optional<YamlNode> platforms = f.node("platforms");
        if (platforms.isPresent()) {
            if (axes.stream().anyMatch(a -> a.name().equals(MatrixSpec.PLATFORM))) {
                problems.add(f.keyLocation("platforms"), f.child("platforms"),
                        "the matrix already has a 'platform' axis; keep one of the two");
            } else {
                List<AxisValue> values = f.items(platforms.get(), f.child("platforms"),
                        (n, a) -> f.scalar(n, a).map(p -> platform(p, n.location(), a)).orElse(null));
                if (values.isEmpty()) {
                    problems.add(platforms.get().location(), f.child("platforms"), "lists no platform; add e.g. [linux/amd64, linux/arm64]");
                }
                out.add(new Axis(MatrixSpec.PLATFORM, values));
            }
        }
        List<Axis> result = List.copyOf(out);
        platformsRead.put(f, result);
        return result;
    }

    private final Map<Fields, List<Axis>> platformsRead = new java.util.IdentityHashMap<>();

    /**
     * An include or exclude row, checked against the axes: include rows name every axis (they
     * add a whole cell); both name only known axes, and values an axis of named objects knows —
     * a typo would otherwise silently exclude nothing.
     */
    private Map<String, String> checkedRow(Fields m, YamlNode node, String at, List<Axis> axes, boolean include,
            boolean fromFile) {
        Map<String, String> row = row(m, node, at);
        if (row == null) {
            return null;
        }
        Location location = node.location();
        if (include && !fromFile) {
            for (Axis axis : axes) {
                if (!row.containsKey(axis.name())) {
                    problems.add(location, at, "an include row names every axis; add " + axis.name() + ": …");
                }
            }
        }
        if (fromFile) {
            return row;
        }
        for (Map.Entry<String, String> e : row.entrySet()) {
            Optional<Axis> axis = axes.stream().filter(a -> a.name().equals(e.getKey())).findFirst();
            if (axis.isEmpty()) {
                String hint = Problems.suggestion(e.getKey(), axes.stream().map(Axis::name).toList());
                problems.add(location, at + "." + e.getKey(), "no axis named '" + e.getKey() + "'"
                        + (hint != null ? "; did you mean '" + hint + "'?" : "; axes here: "
                        + String.join(", ", axes.stream().map(Axis::name).toList())));
                continue;
            }
            boolean objects = axis.get().values().stream().anyMatch(v -> !v.fields().isEmpty() && !e.getKey().equals(MatrixSpec.PLATFORM));
            if (axis.get().value(e.getValue()).isEmpty() && (!include || objects)) {
                problems.add(location, at + "." + e.getKey(), "'" + e.getValue() + "' is not a value of axis "
                        + e.getKey() + "; values: " + String.join(", ", axis.get().values().stream().map(AxisValue::key).toList()));
            }
            if (include && e.getKey().equals(MatrixSpec.PLATFORM)) {
                Platforms.problem(e.getValue()).ifPresent(p -> problems.add(location, at + ".platform", p));
            }
        }
        return row;
    }
}
