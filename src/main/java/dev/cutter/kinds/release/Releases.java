package dev.cutter.kinds.release;

import dev.cutter.kinds.Capability;
import dev.cutter.kinds.attest.Attestations;
import dev.cutter.kinds.archive.ArchiveSection;
import dev.cutter.kinds.checksums.ChecksumSection;
import dev.cutter.kinds.packages.PackageSection;
import dev.cutter.kinds.pin.GitSection;
import dev.cutter.kinds.sign.SignSection;
import dev.cutter.plan.Action;
import dev.cutter.plan.ActionText;
import dev.cutter.plan.Planning;
import dev.cutter.plan.Planning.Needs;
import dev.cutter.run.JobHandler;
import dev.cutter.spec.Cell;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Releases: the assets into a release store, atomically, never half. */
public final class Releases {
    private Releases() {}

    public static final Capability CAPABILITY = new Capability("releases", List.of(ReleaseSection.SECTION),
            List.of(Releases::plan),
            List.of(ActionText.of(Action.Release.class, r -> r.name() + " → " + r.store() + " (exists: " + r.exists() + ")")),
            services -> {
                ReleaseJob job = new ReleaseJob(services.environment(), services.http());
                return List.of(JobHandler.of(Action.Release.class, job, job::question));
            });

    /**
     * One job per release the channel targets, after every job making one of its assets; a release
     * some of whose assets this plan does not make (filtered out) is left out: never half a release.
     */
    private static void plan(Planning planning) {
        var context = planning.context();
        for (ReleaseSpec release : ReleaseSection.SECTION.of(planning.spec())) {
            if (!planning.selected("release", release.id()) || !planning.targeted(release.id())) {
                continue;
            }
            List<String> assets = release.assets().isEmpty() ? defaultAssets(planning) : release.assets();
            Needs needs = new Needs();
            boolean complete = true;
            for (String asset : assets) {
                List<String> producers = new ArrayList<>();
                producers.addAll(planning.entryJobs("archive", asset));
                producers.addAll(planning.entryJobs("package", asset));
                producers.addAll(planning.entryJobs("sign", asset));
                producers.addAll(planning.entryJobs("attest", asset));
                if (asset.equals("checksums")) {
                    producers.addAll(planning.entryJobs("checksums", "checksums"));
                }
                if (producers.isEmpty()) {
                    complete = false; // filtered out: never publish half a release
                }
                needs.addAll(producers);
            }
            if (!complete || needs.isEmpty()) {
                continue;
            }
            boolean prerelease = switch (release.prerelease()) {
                case "true" -> true;
                case "false" -> false;
                default -> context.version().isPrerelease();
            };
            planning.add("release", release.id(), Cell.EMPTY, List.of(), needs, Optional.empty(),
                    new Action.Release(planning.render(release.name(), Cell.EMPTY), planning.render(release.store(), Cell.EMPTY),
                            List.copyOf(assets), context.channel().rolling() ? "replace" : release.exists(),
                            release.draft().orElse(false), prerelease, planning.render(release.notes(), Cell.EMPTY),
                            planning.render(release.token(), Cell.EMPTY), planning.render(release.target(), Cell.EMPTY),
                            GitSection.remote(planning.spec())));
        }
    }

    /**
     * Without {@code assets:}: the archives and packages, the checksums file (which lists them) and
     * the signatures and the attestations, each when this plan makes it.
     */
    private static List<String> defaultAssets(Planning planning) {
        var spec = planning.spec();
        List<String> assets = new ArrayList<>(ArchiveSection.SECTION.ids(spec));
        assets.addAll(PackageSection.SECTION.ids(spec));
        if (ChecksumSection.SECTION.of(spec).isPresent()) {
            assets.add("checksums");
        }
        assets.addAll(SignSection.SECTION.ids(spec));
        assets.add(Attestations.FILES);
        return assets.stream().filter(a -> !planning.entryJobs("archive", a).isEmpty() || !planning.entryJobs("package", a).isEmpty()
                || !planning.entryJobs("sign", a).isEmpty() || !planning.entryJobs("attest", a).isEmpty()
                || (a.equals("checksums") && !planning.entryJobs("checksums", "checksums").isEmpty())).toList();
    }
}
