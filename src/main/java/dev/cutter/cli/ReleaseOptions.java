package dev.cutter.cli;

import dev.cutter.app.Services;
import dev.cutter.git.Checkout;
import dev.cutter.plan.PlanException;
import dev.cutter.plan.ReleaseRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** What selects a release: a tag or version, variables, filters, a component, the commit. */
final class ReleaseOptions {
    static final class Which {
        @Option(names = "--tag", paramLabel = "TAG", description = "The git tag, e.g. v1.2.3.")
        String tag;

        @Option(names = "--version", paramLabel = "VERSION", description = "The version, e.g. 1.2.3 (its tag as the spec's"
                + " version.tag pattern makes it).")
        String version;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1",
            heading = "%nWhich version, one or the other (neither: the version tag at HEAD of the spec's checkout):%n")
    Which which;

    @Option(names = "--var", paramLabel = "NAME=VALUE", description = "Override a variable declared under vars: (repeatable).")
    List<String> vars = new ArrayList<>();

    @Option(names = "--only", paramLabel = "KEY=VALUE", description = "Keep only matrix cells with this axis value, or"
            + " only this entry of a section (build, image, archive, package, repository, release, validate); repeatable.")
    List<String> only = new ArrayList<>();

    @Option(names = "--component", paramLabel = "ID", description = "Release this component (its tag pattern, pins and tag).")
    String component;

    @Option(names = "--sha", paramLabel = "COMMIT", description = "The commit for {sha} (default: HEAD of the spec's checkout).")
    String sha;

    boolean versionGiven() {
        return which != null && which.version != null;
    }

    boolean selectsRelease() {
        return which != null || !vars.isEmpty() || !only.isEmpty() || component != null || sha != null;
    }

    /**
     * As {@link #request(Services, Path)}; with neither {@code --tag} nor {@code --version}, the version tag at
     * HEAD (of the component when one is asked for) is released, as a CI job checked out at a tag
     * expects.
     */
    ReleaseRequest request(Services services, Path specFile, dev.cutter.spec.Spec spec) {
        ReleaseRequest request = request(services, specFile);
        if (request.tag().isPresent() || request.version().isPresent()) {
            return request;
        }
        String tag = versionTagAtHead(spec, request.component()).orElseThrow(() -> new PlanException(
                "give --tag TAG or --version VERSION (HEAD carries no tag matching " + tagPattern(spec, request.component()) + ")"));
        return new ReleaseRequest(Optional.of(tag), Optional.empty(), request.vars(), request.only(), request.component(),
                request.sha(), request.date());
    }

    /** The spec's tag pattern, or the component's. */
    static String tagPattern(dev.cutter.spec.Spec spec, Optional<String> component) {
        return component.flatMap(c -> spec.components().stream().filter(x -> x.id().equals(c)).findFirst())
                .map(dev.cutter.spec.Spec.ComponentSpec::tag).orElse(spec.version().tag());
    }

    /**
     * The tag at HEAD of the spec's checkout that names a version of the project (or of {@code
     * component}); empty outside a git checkout or when there is none; refused when there are two.
     */
    static Optional<String> versionTagAtHead(dev.cutter.spec.Spec spec, Optional<String> component) {
        var tags = dev.cutter.version.TagPattern.of(tagPattern(spec, component));
        try (var git = dev.cutter.git.GitRepository.open(spec.directory())) {
            return git.tagsAt("HEAD").stream().filter(t -> tags.extractVersion(t, component.orElse("")).isPresent())
                    .reduce((a, b) -> { // two version tags on one commit: ambiguous
                        throw new PlanException("HEAD carries the version tags " + a + " and " + b + "; give --tag to say which");
                    });
        } catch (dev.cutter.git.GitException e) {
            return Optional.empty();
        }
    }

    ReleaseRequest request(Services services, Path specFile) {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String v : vars) {
            int eq = v.indexOf('=');
            if (eq <= 0) {
                throw new PlanException("--var " + v + ": write NAME=VALUE");
            }
            overrides.put(v.substring(0, eq), v.substring(eq + 1));
        }
        Map<String, List<String>> filters = new LinkedHashMap<>();
        for (String o : only) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new PlanException("--only " + o + ": write KEY=VALUE, e.g. --only platform=linux/amd64");
            }
            filters.computeIfAbsent(o.substring(0, eq), k -> new ArrayList<>()).add(o.substring(eq + 1));
        }
        Path dir = services.resolve(specFile).toAbsolutePath().getParent();
        Optional<String> commit = Optional.ofNullable(sha).or(() -> dir == null ? Optional.empty() : Checkout.headSha(dir));
        Which given = which == null ? new Which() : which;
        return new ReleaseRequest(Optional.ofNullable(given.tag), Optional.ofNullable(given.version), overrides, filters,
                Optional.ofNullable(component), commit, services.date());
    }
}
