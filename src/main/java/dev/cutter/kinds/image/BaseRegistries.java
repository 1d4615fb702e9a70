package dev.cutter.kinds.image;

import dev.cutter.oci.RegistryClient;
import dev.cutter.oci.RegistryHost;
import dev.cutter.oci.Repository;
import java.util.Map;
import java.util.Optional;

/**
 * Which of the spec's registries a base image comes from: the entry whose address
 * ({@code host[:port][/path]}) is the longest prefix of the base's repository, Docker Hub under
 * any of its names. A registry the release only pulls from so gets its credentials, transport and
 * budget like one it pushes to, for a {@code from:} base and a Dockerfile's {@code FROM} alike.
 */
final class BaseRegistries {
    private BaseRegistries() {}

    /** The value of the entry of {@code byAddress} that {@code base} comes from, or empty (the user's logins then). */
    static <T> Optional<T> of(Map<String, T> byAddress, Repository base) {
        RegistryHost host = RegistryHost.of(base.host());
        T best = null;
        int bestLength = -1;
        for (Map.Entry<String, T> entry : byAddress.entrySet()) {
            String url = entry.getKey();
            int slash = url.indexOf('/');
            String prefix = slash < 0 ? "" : url.substring(slash + 1).replaceAll("/+$", "");
            boolean same;
            try {
                same = RegistryHost.of(slash < 0 ? url : url.substring(0, slash)).equals(host);
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (same && (prefix.isEmpty() || base.path().equals(prefix) || base.path().startsWith(prefix + "/"))
                    && prefix.length() > bestLength) {
                best = entry.getValue();
                bestLength = prefix.length();
            }
        }
        return Optional.ofNullable(best);
    }
}
