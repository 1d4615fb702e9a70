package dev.cutter.server;

import dev.cutter.ledger.Artifact;
import dev.cutter.ledger.Effect;
import dev.cutter.ledger.Ledger;
import dev.cutter.ledger.Run;
import dev.cutter.ledger.RunState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What changed between two versions of a project, from the ledger alone: each image tag's digest
 * per repository, each release asset, package repository and git tag (the effects), and each
 * archive, package, checksum file and signature the newest succeeded run made (its artifacts).
 * Names are compared with the version written {@code {version}}, so {@code app:1.7.7} and
 * {@code app:1.7.8} are one row whose digest changed, and {@code app_1.7.8_amd64.deb} lines up
 * with {@code app_1.7.7_amd64.deb}.
 */
record VersionDiff(String project, String from, String to, List<Row> rows) {
    /** Artifact kinds a release hands out (images are compared by their tags). */
    static final Set<String> FILES = Set.of("archive", "package", "checksums", "signature", "repository");

    enum Change {
        SAME("same"), CHANGED("changed"), ADDED("added"), REMOVED("removed");

        private final String label;

        Change(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    /** One thing either version has: what it is, its name with {@code {version}}, and the digest each version has. */
    record Row(String what, String name, Optional<String> from, Optional<String> to) {
        Change change() {
            if (from.isEmpty()) {
                return Change.ADDED;
            }
            if (to.isEmpty()) {
                return Change.REMOVED;
            }
            return from.equals(to) ? Change.SAME : Change.CHANGED;
        }
    }

    static VersionDiff of(Ledger ledger, String project, String from, String to) {
        Map<String, String> a = published(ledger, project, from);
        Map<String, String> b = published(ledger, project, to);
        Set<String> keys = new LinkedHashSet<>(a.keySet());
        keys.addAll(b.keySet());
        List<Row> rows = new ArrayList<>();
        for (String key : keys) {
            int tab = key.indexOf('\t');
            rows.add(new Row(key.substring(0, tab), key.substring(tab + 1), Optional.ofNullable(a.get(key)), Optional.ofNullable(b.get(key))));
        }
        rows.sort(Comparator.comparing((Row r) -> r.change() == Change.SAME).thenComparing(Row::what).thenComparing(Row::name));
        return new VersionDiff(project, from, to, rows);
    }

    /** {@code what\tname} → digest, for one version; empty when the ledger has no publishing run of it. */
    private static Map<String, String> published(Ledger ledger, String project, String version) {
        Map<String, String> out = new LinkedHashMap<>();
        Publications.View view = Publications.of(ledger, project, version);
        for (Publications.Target t : view.images()) {
            t.digest().ifPresent(d -> out.put("image\t" + generic(t.reference(), version), d));
        }
        for (Effect e : view.others()) { // a confirmed release, repository or git tag is named by its job's kind, as one made
            String what = e.kind().equals(Effect.CONFIRMED) && e.jobId().contains("/") ? e.jobId().substring(0, e.jobId().indexOf('/')) : e.kind();
            out.put(what + "\t" + generic(e.target(), version), e.after());
        }
        Optional<Run> standing = view.runs().stream().filter(r -> r.state() == RunState.SUCCEEDED).findFirst();
        if (standing.isPresent()) {
            for (Artifact artifact : ledger.artifacts(standing.get().id())) {
                if (FILES.contains(artifact.kind())) {
                    out.put(artifact.kind() + "\t" + generic(artifact.name(), version), artifact.digest().toString());
                }
            }
        }
        return out;
    }

    private static String generic(String name, String version) {
        return version.isEmpty() ? name : name.replace(version, "{version}");
    }
}
