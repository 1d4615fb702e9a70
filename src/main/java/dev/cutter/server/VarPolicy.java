package dev.cutter.server;

import dev.cutter.spec.Spec;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which of a project's vars an API caller may set, and the pattern a value must match (law 10:
 * a value from an API call is data, and only where the spec says so). Closed by default: a var
 * the spec does not mark {@code api: true} is the spec's to set, never a caller's.
 *
 * @param api      the vars marked {@code api: true}
 * @param patterns each such var's declared {@code pattern}, matched against the whole value
 */
record VarPolicy(Set<String> api, Map<String, Pattern> patterns) {
    VarPolicy {
        api = Set.copyOf(api);
        patterns = Map.copyOf(patterns);
    }

    /** The spec's policy: the vars it declares with {@code api: true}, each with its {@code pattern}. */
    static VarPolicy of(Spec spec) {
        var open = spec.vars().values().stream().filter(Spec.VarSpec::api).toList();
        return new VarPolicy(open.stream().map(Spec.VarSpec::name).collect(java.util.stream.Collectors.toSet()),
                open.stream().filter(v -> v.pattern().isPresent())
                        .collect(java.util.stream.Collectors.toMap(Spec.VarSpec::name, v -> v.pattern().get())));
    }

    boolean apiMay(String name) {
        return api.contains(name);
    }

    Optional<Pattern> pattern(String name) {
        return Optional.ofNullable(patterns.get(name));
    }

    /** Refuses (400, naming the var) the first var a caller may not set or whose value does not match its pattern. */
    void check(String project, Map<String, String> vars) {
        for (Map.Entry<String, String> v : vars.entrySet()) {
            String name = v.getKey();
            String shown = name.length() > 60 ? name.substring(0, 60) + "…" : name;
            if (!apiMay(name)) {
                throw new Refusal(400, "vars." + shown + ": " + project + "'s spec does not let API callers set this var"
                        + " (a var needs api: true in cutter.yaml)" + (api.isEmpty() ? "" : "; settable: " + String.join(", ", new java.util.TreeSet<>(api))));
            }
            Optional<Pattern> pattern = pattern(name);
            if (pattern.isPresent() && !pattern.get().matcher(v.getValue()).matches()) {
                throw new Refusal(400, "vars." + shown + ": the value does not match the var's pattern " + pattern.get().pattern());
            }
        }
    }
}
