package dev.cutter.plan;

import dev.cutter.spec.Spec;
import dev.cutter.spec.Spec.ComponentSpec;
import dev.cutter.version.Channel;
import dev.cutter.version.Channels;
import dev.cutter.version.TagPattern;
import dev.cutter.version.Version;
import dev.cutter.version.VersionException;
import dev.cutter.version.VersionScheme;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A spec resolved against a request: the version and its tag, the channel it falls in, the
 * variables with overrides applied and the commit. Everything a template may name that is not
 * a matrix axis comes from here.
 */
public record ReleaseContext(String project, Version version, String tag, Channel channel, Map<String, String> vars,
        Optional<String> sha, String date, Optional<String> component, Map<String, List<String>> only) {

    /** A full commit id: what {@code {sha}} is, so it may stand anywhere a template goes. */
    private static final java.util.regex.Pattern COMMIT = java.util.regex.Pattern.compile("[0-9a-f]{40}([0-9a-f]{24})?");

    public static ReleaseContext resolve(Spec spec, ReleaseRequest request) {
        VersionScheme scheme = VersionScheme.of(spec.version().scheme());
        Optional<ComponentSpec> component = request.component().map(id -> spec.component(id)
                .orElseThrow(() -> new PlanException("--component " + id + ": no such component; components: "
                        + String.join(", ", spec.components().stream().map(ComponentSpec::id).toList()))));
        String componentId = component.map(ComponentSpec::id).orElse(null);
        TagPattern pattern = TagPattern.of(component.map(ComponentSpec::tag).orElse(spec.version().tag()));
        Version version;
        String tag;
        try {
            if (request.tag().isPresent() == request.version().isPresent()) {
                throw new PlanException("give exactly one of --tag TAG or --version VERSION");
            }
            if (request.tag().isPresent()) {
                tag = request.tag().get();
                version = pattern.parseTag(tag, componentId, scheme);
            } else {
                version = scheme.parse(request.version().get());
                tag = pattern.format(componentId, version);
            }
        } catch (VersionException e) {
            throw new PlanException(e.getMessage());
        }
        Channel channel;
        try {
            channel = Channels.select(spec.channels(), version);
        } catch (VersionException e) {
            throw new PlanException(spec.file() + ": channels: " + e.getMessage());
        }
        Map<String, String> vars = new LinkedHashMap<>(spec.varDefaults());
        request.vars().forEach((name, value) -> {
            Spec.VarSpec declared = spec.vars().get(name);
            if (declared == null) {
                throw new PlanException("--var " + name + ": the spec declares no variable '" + name + "'; declared: "
                        + (spec.vars().isEmpty() ? "none (add it under vars:)" : String.join(", ", new TreeSet<>(spec.vars().keySet()))));
            }
            declared.problem(value).ifPresent(problem -> {
                throw new PlanException("--var " + problem);
            });
            vars.put(name, value);
        });
        request.sha().ifPresent(sha -> {
            if (!COMMIT.matcher(sha).matches()) {
                throw new PlanException("--sha '" + sha + "' is not a commit; give its 40 (or, in a SHA-256 repository, 64) hexadecimal digits (git rev-parse HEAD)");
            }
        });
        return new ReleaseContext(spec.project(), version, tag, channel, Map.copyOf(vars), request.sha(), request.date(),
                component.map(ComponentSpec::id), request.only());
    }

    /** The value of a context placeholder, or empty if it is not one (or has no value here). */
    public Optional<String> lookup(String name) {
        return switch (name) {
            case "version" -> Optional.of(version.text());
            case "major" -> Optional.of(Long.toString(version.major()));
            case "minor" -> Optional.of(Long.toString(version.minor()));
            case "patch" -> Optional.of(Long.toString(version.patch()));
            case "prerelease" -> Optional.of(version.prerelease().orElse(""));
            case "channel" -> Optional.of(channel.name());
            case "channel.suffix" -> Optional.of(channel.suffix());
            case "sha" -> sha;
            case "short_sha" -> sha.map(s -> s.substring(0, Math.min(7, s.length())));
            case "date" -> Optional.of(date);
            case "project" -> Optional.of(project);
            default -> name.startsWith(dev.cutter.spec.DateFormat.PREFIX)
                    ? Optional.of(dev.cutter.spec.DateFormat.format(date, name.substring(dev.cutter.spec.DateFormat.PREFIX.length())))
                    : name.startsWith("vars.") ? Optional.ofNullable(vars.get(name.substring(5))) : Optional.empty();
        };
    }
}
