package dev.cutter.rebuild;

import dev.cutter.content.Digest;
import java.util.List;
import java.util.Optional;

/**
 * One output of a release compared with its rebuild.
 *
 * @param job the job that made it, {@code archive/hello}
 * @param kind the artifact's kind ({@code archive}, {@code image}, {@code build}…)
 * @param name the artifact's name (a file, a platform)
 * @param recorded its digest as the release recorded it
 * @param rebuilt its digest in the rebuild; empty when the rebuild did not make it
 * @param entries what differs inside, one line an entry ({@code bin/app: sha256:… recorded, sha256:… rebuilt}),
 *     or why the entries could not be compared
 */
public record Difference(String job, String kind, String name, Digest recorded, Optional<Digest> rebuilt, List<String> entries) {
    public Difference {
        entries = List.copyOf(entries);
    }

    /** Whether the rebuild made the same bytes. */
    public boolean same() {
        return rebuilt.map(recorded::equals).orElse(false);
    }
}
