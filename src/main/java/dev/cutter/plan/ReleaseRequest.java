package dev.cutter.plan;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the user asked for: a tag or a version, variable overrides, {@code --only} filters, a
 * component, and the facts of the checkout (commit, date) as found by the caller.
 */
public record ReleaseRequest(Optional<String> tag, Optional<String> version, Map<String, String> vars,
        Map<String, List<String>> only, Optional<String> component, Optional<String> sha, String date) {

    public static ReleaseRequest ofVersion(String version) {
        return new ReleaseRequest(Optional.empty(), Optional.of(version), Map.of(), Map.of(), Optional.empty(),
                Optional.empty(), "19700101");
    }

    public ReleaseRequest withSha(String sha) {
        return new ReleaseRequest(tag, version, vars, only, component, Optional.of(sha), date);
    }

    public ReleaseRequest withVars(Map<String, String> vars) {
        return new ReleaseRequest(tag, version, vars, only, component, sha, date);
    }

    public ReleaseRequest withOnly(Map<String, List<String>> only) {
        return new ReleaseRequest(tag, version, vars, only, component, sha, date);
    }

    public ReleaseRequest withComponent(String component) {
        return new ReleaseRequest(tag, version, vars, only, Optional.of(component), sha, date);
    }
}
