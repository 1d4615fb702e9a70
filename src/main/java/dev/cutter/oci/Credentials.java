package dev.cutter.oci;

import java.util.Map;
import java.util.Optional;

/**
 * Where registry credentials come from: credentials given in the spec (secret references resolved
 * by the caller) first, then the logins {@code docker login}, {@code podman login} and
 * {@code skopeo login} left ({@link Logins}). None found means anonymous access.
 */
@FunctionalInterface
public interface Credentials {
    /** What a registry is signed in to with. */
    sealed interface Login permits UsernamePassword, IdentityToken {}

    record UsernamePassword(String username, String password) implements Login {
        @Override
        public String toString() {
            return "UsernamePassword[" + username + ", ***]";
        }
    }

    /**
     * An OAuth2 refresh token (Docker's {@code identitytoken}: ACR, and registries whose
     * {@code docker login} answered one), exchanged at the token service for access tokens.
     */
    record IdentityToken(String token) implements Login {
        @Override
        public String toString() {
            return "IdentityToken[***]";
        }
    }

    /** The login for {@code repository}; empty: anonymous. */
    Optional<Login> find(Repository repository);

    static Credentials none() {
        return repository -> Optional.empty();
    }

    /** Given credentials for some hosts, then {@code fallback} for the rest. */
    static Credentials of(Map<String, UsernamePassword> given, Credentials fallback) {
        return repository -> given.containsKey(repository.host()) ? Optional.of(given.get(repository.host()))
                : fallback.find(repository);
    }
}
