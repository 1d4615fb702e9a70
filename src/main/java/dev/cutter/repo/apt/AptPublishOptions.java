package dev.cutter.repo.apt;

import dev.cutter.sign.OpenPgpSigner;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How {@link AptRepository#publish} writes each distribution's indexes.
 *
 * @param origin the Release file's Origin
 * @param label its Label
 * @param architectures the binary-&lt;arch&gt; indexes to write; empty: every architecture the
 *     distribution's packages have (Architecture: all packages go into each of them)
 * @param compressions the Packages files to write (at least one)
 * @param byHash write Acquire-By-Hash: yes and every index under by-hash/&lt;hash&gt;/&lt;hex&gt;, keeping the
 *     previous publication's by-hash files so a client mid-update still finds them
 * @param keep retain at most this many versions per package name and architecture (the highest by
 *     dpkg's order); 0 keeps all
 * @param signer writes InRelease and Release.gpg when present
 * @param date the Release Date (seconds, UTC): the same state and date give the same bytes
 */
public record AptPublishOptions(String origin, String label, List<String> architectures,
        Set<AptCompression> compressions, boolean byHash, int keep, Optional<OpenPgpSigner> signer, Instant date) {

    public AptPublishOptions {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(date, "date");
        architectures = List.copyOf(architectures);
        compressions = Set.copyOf(compressions);
        Objects.requireNonNull(signer, "signer");
        if (compressions.isEmpty()) {
            throw new IllegalArgumentException("publish at least one Packages file: compressions is empty");
        }
        if (keep < 0) {
            throw new IllegalArgumentException("keep must be 0 (all) or a positive number of versions, not " + keep);
        }
        for (String line : List.of(origin, label)) {
            if (line.contains("\n") || line.isBlank()) {
                throw new IllegalArgumentException("Origin and Label must be one non-empty line: '" + line + "'");
            }
        }
        for (String arch : architectures) {
            if (arch.equals("all") || arch.isEmpty() || arch.contains(" ") || arch.contains("/")) {
                throw new IllegalArgumentException("'" + arch + "' is not an architecture to publish indexes for");
            }
        }
    }

    /**
     * Unsigned, all three Packages compressions, by-hash on, every version kept, architectures
     * from the packages; Label = Origin.
     */
    public static AptPublishOptions defaults(String origin, Instant date) {
        return new AptPublishOptions(origin, origin, List.of(), Set.of(AptCompression.values()), true, 0,
                Optional.empty(), date);
    }

    public AptPublishOptions withSigner(OpenPgpSigner newSigner) {
        return new AptPublishOptions(origin, label, architectures, compressions, byHash, keep, Optional.of(newSigner), date);
    }

    public AptPublishOptions withKeep(int newKeep) {
        return new AptPublishOptions(origin, label, architectures, compressions, byHash, newKeep, signer, date);
    }

    public AptPublishOptions withArchitectures(List<String> newArchitectures) {
        return new AptPublishOptions(origin, label, newArchitectures, compressions, byHash, keep, signer, date);
    }

    public AptPublishOptions withCompressions(Set<AptCompression> newCompressions) {
        return new AptPublishOptions(origin, label, architectures, newCompressions, byHash, keep, signer, date);
    }

    public AptPublishOptions withByHash(boolean newByHash) {
        return new AptPublishOptions(origin, label, architectures, compressions, newByHash, keep, signer, date);
    }

    public AptPublishOptions withDate(Instant newDate) {
        return new AptPublishOptions(origin, label, architectures, compressions, byHash, keep, signer, newDate);
    }
}
