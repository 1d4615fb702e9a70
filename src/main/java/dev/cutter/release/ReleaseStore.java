package dev.cutter.release;

import java.util.List;
import java.util.Optional;

/**
 * Where releases are published: a directory, an HTTP server, a forge's API. The port is small on
 * purpose; publication rules that hold for every store (identical content is a no-op, other
 * content is refused unless the policy is {@link ExistsPolicy#REPLACE}) are part of its contract.
 *
 * <p>Failures are unchecked: {@link InvalidReleaseException} for input the store cannot hold,
 * {@link ReleaseExistsException} when immutability refuses, {@link ReleaseException} otherwise.
 */
public interface ReleaseStore {

    /** The release called {@code name}, or empty if the store has none. */
    Optional<ReleaseInfo> find(String name);

    /**
     * Publishes {@code draft} so that readers see either the previous state or the whole new
     * release, never a part of it.
     *
     * <ul>
     *   <li>No release of that name: it is created ({@code CREATED}).
     *   <li>One with the same content (metadata, notes, asset names, digests, sizes and install
     *       order; the creation time does not count): nothing is touched ({@code UNCHANGED}), which
     *       is what makes re-running a finished release a no-op.
     *   <li>One with other content: {@link ReleaseExistsException} under {@link ExistsPolicy#FAIL},
     *       replaced as a whole under {@link ExistsPolicy#REPLACE} ({@code REPLACED}).
     * </ul>
     */
    PublishResult publish(ReleaseDraft draft, ExistsPolicy policy);

    /** The bytes of asset {@code asset} of release {@code release} as the store serves them; the caller closes the stream. */
    java.io.InputStream openAsset(String release, String asset) throws java.io.IOException;

    /** Every release, newest first ({@link ReleaseInfo#NEWEST_FIRST}). */
    List<ReleaseInfo> list();

    /** Deletes the release called {@code name} with its assets; nothing happens if there is none. */
    void delete(String name);

    /**
     * Why this store cannot take a release now, asked without changing it: it does not answer, or
     * its credentials may not publish there. Empty when it can, or when the store cannot tell
     * without publishing.
     */
    default Optional<String> mayPublish() {
        return Optional.empty();
    }

    /**
     * Whether the store holds a published release of git tag {@code tag}, whoever made it (another
     * project's release, which a spec's {@code requires:} waits for); a draft is none. Asked
     * without changing the store.
     */
    default boolean hasRelease(String tag) {
        return list().stream().anyMatch(r -> r.tag().equals(tag));
    }

    /** The store as a user would name it in messages, e.g. {@code dir:/srv/km-releases}. */
    String describe();
}
