package dev.cutter.repo.yum;

import java.util.List;

/**
 * What {@link YumRepository#verify} found.
 *
 * @param packages how many packages primary.xml lists (each was hashed)
 * @param signature "good", "bad: …", or "none" (no repomd.xml.asc, or no public key given)
 * @param problems one line per problem, naming the file; empty when the repository is intact
 */
public record YumVerification(int packages, String signature, List<String> problems) {
    public YumVerification {
        problems = List.copyOf(problems);
    }

    public boolean ok() {
        return problems.isEmpty();
    }
}
