package dev.cutter.plan;

import dev.cutter.spec.Spec;
import dev.cutter.spec.SpecLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Plans examples and inline specs the way the CLI does, with a fixed commit and date. */
final class Plans {
    static final String SHA = "6d7d2a3fe8243809b3c3a710792c8498292e2fc3";

    private Plans() {}

    static Plan example(String name, String version, String... only) {
        return plan(dev.cutter.kinds.Capabilities.specLoader().load(Path.of("examples", name, "cutter.yaml")), request(version, only));
    }

    static Plan exampleTag(String name, String tag) {
        Spec spec = dev.cutter.kinds.Capabilities.specLoader().load(Path.of("examples", name, "cutter.yaml"));
        return plan(spec, new ReleaseRequest(Optional.of(tag), Optional.empty(), Map.of(), Map.of(), Optional.empty(),
                Optional.of(SHA), "20261123"));
    }

    static Plan inline(String yaml, String version, String... only) {
        return plan(dev.cutter.kinds.Capabilities.specLoader().load(Path.of("inline", "cutter.yaml"), yaml), request(version, only));
    }

    static ReleaseRequest request(String version, String... only) {
        Map<String, List<String>> filters = new java.util.LinkedHashMap<>();
        for (String o : only) {
            int eq = o.indexOf('=');
            filters.computeIfAbsent(o.substring(0, eq), k -> new java.util.ArrayList<>()).add(o.substring(eq + 1));
        }
        return new ReleaseRequest(Optional.empty(), Optional.of(version), Map.of(), filters, Optional.empty(),
                Optional.of(SHA), "20261123");
    }

    static Plan plan(Spec spec, ReleaseRequest request) {
        return dev.cutter.kinds.Capabilities.planner().plan(spec, ReleaseContext.resolve(spec, request));
    }

    static List<Publication> at(Plan plan, String repository) {
        return plan.publications().stream().filter(p -> p.repository().equals(repository)).toList();
    }
}
