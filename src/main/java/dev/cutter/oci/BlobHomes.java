package dev.cutter.oci;

import dev.cutter.content.Digest;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a client has seen or put each blob on each registry, so that a blob is sent to a
 * registry once and mounted into its other repositories (a mirror's images share their base
 * layers; skopeo keeps the same memory in its blob-info cache). Two sends of one blob to one
 * registry do not run side by side: the second waits for the first, then mounts from where it
 * went. Held for the client's life (a run), never on disk; a mount from a remembered home that
 * the registry refuses falls back to an upload, so a home gone stale costs one request.
 */
final class BlobHomes {
    /** host → blob → the repositories (paths) it is known to be in. */
    private final Map<String, Map<Digest, Set<String>>> seen = new ConcurrentHashMap<>();
    /** host@blob → the send of it to that registry under way. */
    private final Map<String, CompletableFuture<Void>> sending = new ConcurrentHashMap<>();

    /** {@code digest} is in {@code repo} (a HEAD found it there, or it was put there). */
    void seen(Repository repo, Digest digest) {
        seen.computeIfAbsent(repo.host(), h -> new ConcurrentHashMap<>())
                .computeIfAbsent(digest, d -> ConcurrentHashMap.newKeySet()).add(repo.path());
    }

    /** Whether {@code digest} is known to be in {@code repo} itself. */
    boolean in(Repository repo, Digest digest) {
        return repositories(repo.host(), digest).contains(repo.path());
    }

    /** Another repository of {@code repo}'s registry known to hold {@code digest}: where to mount it from. */
    Optional<String> elsewhere(Repository repo, Digest digest) {
        return repositories(repo.host(), digest).stream().filter(path -> !path.equals(repo.path())).sorted().findFirst();
    }

    private Set<String> repositories(String host, Digest digest) {
        return seen.getOrDefault(host, Map.of()).getOrDefault(digest, Set.of());
    }

    /**
     * Runs {@code send} as the one send of {@code digest} to {@code repo}'s registry: while another
     * is under way, waits for it to end first (whether it succeeded or not), then sends, and so
     * finds the blob's new home (or that it is there already) when it looks again.
     */
    @FunctionalInterface
    interface Send {
        /** @param waited whether another send of the blob to the registry ended just before */
        void run(boolean waited);
    }

    /** As {@link Send} says: {@code send} run once no other send of {@code digest} to the registry is under way. */
    void sendAlone(Repository repo, Digest digest, Send send) {
        String key = repo.host() + "@" + digest;
        CompletableFuture<Void> mine = new CompletableFuture<>();
        boolean waited = false;
        while (true) {
            CompletableFuture<Void> other = sending.putIfAbsent(key, mine);
            if (other == null) {
                break;
            }
            other.exceptionally(e -> null).join(); // its outcome is its own caller's: this send looks again
            waited = true;
        }
        try {
            send.run(waited);
        } finally {
            sending.remove(key, mine);
            mine.complete(null);
        }
    }
}
