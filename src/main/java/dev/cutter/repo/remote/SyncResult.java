package dev.cutter.repo.remote;

import java.util.List;
import java.util.Objects;

/**
 * What a sync did (or, in a dry run, would do).
 *
 * @param uploaded regular files uploaded (new or changed)
 * @param linked symbolic links created or re-pointed
 * @param skipped regular files and links already equal on the remote
 * @param deleted remote entries deleted (files, links, directories; left-over temporary files included)
 * @param bytes bytes uploaded
 * @param changes one line per change, in the order applied ({@code upload pool/x.deb},
 *     {@code link dists/stable -> .generations/stable/3}, {@code delete pool/old.deb}, ...)
 */
public record SyncResult(int uploaded, int linked, int skipped, int deleted, long bytes, List<String> changes) {
    public SyncResult {
        changes = List.copyOf(Objects.requireNonNull(changes, "changes"));
    }

    @Override
    public String toString() {
        return uploaded + " uploaded (" + bytes + " bytes), " + linked + " linked, " + skipped + " unchanged, "
                + deleted + " deleted";
    }
}
