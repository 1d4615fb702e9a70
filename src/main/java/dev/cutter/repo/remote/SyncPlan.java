package dev.cutter.repo.remote;

import dev.cutter.repo.remote.RemoteFs.Kind;
import dev.cutter.repo.remote.Tree.Node;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a sync does, in the order it does it; a pure function of the local tree, the remote tree
 * and the manifest (plus the sha256 of local files whose size matches).
 *
 * @param clear remote files or links where a directory must go: deleted before {@code mkdirs}
 * @param mkdirs directories to create, parents first
 * @param files regular files to upload, entry points excepted
 * @param links symbolic links to create or re-point
 * @param entryPoints the files clients read first (Release, InRelease, repomd.xml...), in upload order
 * @param displace remote directories where a file or link must go: renamed aside just before, deleted last
 * @param deleteFiles remote files and links the local tree does not have
 * @param deleteDirs remote directories the local tree does not have, children first
 * @param temporaries left-over temporary files of interrupted syncs (deleted whatever {@code delete} says)
 * @param verified manifest entries for files already equal on the remote (local time refreshed)
 * @param skipped files and links already equal
 */
record SyncPlan(List<String> clear, List<String> mkdirs, List<String> files, List<Link> links, List<String> entryPoints,
        Set<String> displace, List<String> deleteFiles, List<String> deleteDirs, List<String> temporaries,
        Map<String, Manifest.Entry> verified, int skipped) {

    record Link(String path, String target) {}

    /** The sha256 of a local file (read on demand). */
    @FunctionalInterface
    interface LocalDigest {
        String sha256(String rel) throws IOException;
    }

    static SyncPlan of(Tree local, Tree remote, Manifest manifest, boolean delete, LocalDigest digest) throws IOException {
        List<String> clear = new ArrayList<>();
        List<String> mkdirs = new ArrayList<>();
        List<String> files = new ArrayList<>();
        List<Link> links = new ArrayList<>();
        List<String> entryPoints = new ArrayList<>();
        Set<String> displace = new TreeSet<>();
        Map<String, Manifest.Entry> verified = new HashMap<>();
        int skipped = 0;
        List<String> linkTargets = resolvedLinkTargets(local);

        for (Map.Entry<String, Node> e : local.nodes().entrySet()) {
            String rel = e.getKey();
            Node mine = e.getValue();
            Node theirs = remote.nodes().get(rel);
            switch (mine.kind()) {
                case DIRECTORY -> {
                    if (theirs == null || theirs.kind() != Kind.DIRECTORY) {
                        if (theirs != null) {
                            clear.add(rel);
                        }
                        mkdirs.add(rel);
                    }
                }
                case LINK -> {
                    if (theirs != null && theirs.kind() == Kind.LINK && theirs.linkTarget().equals(mine.linkTarget())) {
                        skipped++;
                    } else {
                        links.add(new Link(rel, mine.linkTarget()));
                        if (theirs != null && theirs.kind() == Kind.DIRECTORY) {
                            displace.add(rel);
                        }
                    }
                }
                case FILE -> {
                    Manifest.Entry known = manifest.valid(rel, theirs);
                    if (known != null && known.size() == mine.size()) {
                        if (!known.local().isEmpty() && known.local().equals(mine.stamp())) {
                            verified.put(rel, known);
                            skipped++;
                            continue;
                        }
                        String sha = digest.sha256(rel);
                        if (sha.equals(known.sha256())) {
                            verified.put(rel, new Manifest.Entry(known.size(), known.mtimeSeconds(), sha, mine.stamp()));
                            skipped++;
                            continue;
                        }
                    }
                    if (theirs != null && theirs.kind() == Kind.DIRECTORY) {
                        displace.add(rel);
                    }
                    if (isEntryPoint(rel) && linkTargets.stream().noneMatch(t -> rel.startsWith(t + "/"))) {
                        entryPoints.add(rel);
                    } else {
                        files.add(rel);
                    }
                }
                case OTHER -> throw new IllegalStateException("local trees hold no special files: " + rel);
            }
        }
        entryPoints.sort(Comparator.comparing((String p) -> p.substring(0, p.lastIndexOf('/') + 1))
                .thenComparingInt(SyncPlan::entryPointRank));

        List<String> deleteFiles = new ArrayList<>();
        List<String> deleteDirs = new ArrayList<>();
        if (delete) {
            for (Map.Entry<String, Node> e : remote.nodes().entrySet()) {
                String rel = e.getKey();
                if (local.nodes().containsKey(rel) || displace.stream().anyMatch(d -> rel.startsWith(d + "/"))) {
                    continue; // kept, or goes with a displaced directory
                }
                if (e.getValue().kind() == Kind.DIRECTORY) {
                    deleteDirs.add(rel);
                } else {
                    deleteFiles.add(rel);
                }
            }
            deleteDirs.sort(Comparator.reverseOrder()); // children ("a/b") before parents ("a")
        }
        return new SyncPlan(clear, mkdirs, files, links, entryPoints, displace, deleteFiles, deleteDirs,
                remote.temporaries(), verified, skipped);
    }

    /**
     * Files clients fetch first and that name every other file: apt's InRelease, Release.gpg and
     * Release under {@code dists/}, yum's {@code repodata/repomd.xml} and its signature.
     */
    static boolean isEntryPoint(String rel) {
        String name = rel.substring(rel.lastIndexOf('/') + 1);
        String dir = rel.contains("/") ? rel.substring(0, rel.lastIndexOf('/')) : "";
        return switch (name) {
            case "InRelease", "Release.gpg", "Release" -> ("/" + dir + "/").contains("/dists/");
            case "repomd.xml", "repomd.xml.asc" -> dir.equals("repodata") || dir.endsWith("/repodata");
            default -> false;
        };
    }

    /** Signature before what it signs: a client that sees the new repomd.xml finds its new signature already there. */
    private static int entryPointRank(String rel) {
        return switch (rel.substring(rel.lastIndexOf('/') + 1)) {
            case "repomd.xml.asc", "InRelease" -> 0;
            case "Release.gpg" -> 1;
            default -> 2;
        };
    }

    /**
     * The directories local links point to, relative to the root: files in them are reached through
     * the link, which switches last, so they are uploaded with the ordinary files.
     */
    static List<String> resolvedLinkTargets(Tree local) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Node> e : local.nodes().entrySet()) {
            if (e.getValue().kind() != Kind.LINK || e.getValue().linkTarget().startsWith("/")) {
                continue;
            }
            String rel = e.getKey();
            String base = rel.contains("/") ? rel.substring(0, rel.lastIndexOf('/')) : "";
            List<String> parts = new ArrayList<>(base.isEmpty() ? List.of() : List.of(base.split("/")));
            boolean escapes = false;
            for (String s : e.getValue().linkTarget().split("/")) {
                if (s.isEmpty() || s.equals(".")) {
                    continue;
                }
                if (s.equals("..")) {
                    if (parts.isEmpty()) {
                        escapes = true;
                        break;
                    }
                    parts.remove(parts.size() - 1);
                } else {
                    parts.add(s);
                }
            }
            if (!escapes && !parts.isEmpty()) {
                out.add(String.join("/", parts));
            }
        }
        return out;
    }
}
