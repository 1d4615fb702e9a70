package dev.cutter.cli;

import dev.cutter.content.Staging;
import dev.cutter.plan.PlanException;
import dev.cutter.release.Prune;
import dev.cutter.release.ReleaseInfo;
import dev.cutter.release.ReleaseStore;
import dev.cutter.kinds.release.ReleaseJob;
import dev.cutter.spec.Spec;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import dev.cutter.kinds.release.ReleaseSection;

/** {@code cutter releases}: the releases in a spec's release stores. */
@Command(name = "releases", description = "List or prune the releases in a release store.",
        subcommands = {ReleasesCommand.ListReleases.class, ReleasesCommand.PruneReleases.class})
final class ReleasesCommand extends CommandGroup {

    /** Which store: {@code --store} (e.g. dir:PATH) or the spec's release with {@code --release ID}. */
    static final class Which extends SpecWiring {
        @Option(names = "--release", paramLabel = "ID", description = "The spec's release whose store to use (default: the first).")
        String release;

        @Option(names = "--store", paramLabel = "STORE", description = "A store given directly, e.g. dir:dist/releases.")
        String store;

        /** Releases a subcommand listed or deleted, and their store as it describes itself. */
        record Releases(List<ReleaseInfo> releases, String store) {}

        /** Work done with the store: the releases it lists or deletes. */
        @FunctionalInterface
        interface Work {
            List<ReleaseInfo> run(ReleaseStore store) throws Exception;
        }

        /** Does {@code work} with the store, whose files are made in a staging of this process, removed after. */
        Releases with(Work work) throws Exception {
            try (Staging staging = staging()) {
                ReleaseStore store = open(staging);
                return new Releases(work.run(store), store.describe());
            }
        }

        private ReleaseStore open(Staging staging) {
            dev.cutter.app.Services services = services();
            if (store != null) {
                return ReleaseJob.store(store, java.util.Optional.empty(), services.workingDirectory().toAbsolutePath(), staging,
                        services.environment(), dev.cutter.oci.RegistryClient.http());
            }
            Spec s = spec();
            var entry = ReleaseSection.SECTION.of(s).stream().filter(r -> release == null || r.id().equals(release)).findFirst()
                    .orElseThrow(() -> new PlanException(release == null ? spec.file + " declares no release; pass --store"
                            : "no release '" + release + "' in " + spec.file));
            String text = entry.store().source();
            if (!entry.store().placeholders().isEmpty()) {
                throw new PlanException("the store of release '" + entry.id() + "' depends on the version (" + text + "); pass --store");
            }
            var secrets = services.secrets(s.directory());
            return ReleaseJob.store(text, entry.token().map(t -> secrets.resolve(t.source())), s.directory(), staging,
                    services.environment(), dev.cutter.oci.RegistryClient.http());
        }
    }

    @Command(name = "list", description = "Releases in the store, newest first.")
    static final class ListReleases implements Callable<Integer> {
        @Mixin
        Which which;

        @Mixin
        JsonOption json;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = which.out();
            Which.Releases listed = which.with(ReleaseStore::list);
            json.print(out, listed.releases(), () -> {
                out.println(listed.store() + ": " + listed.releases().size() + " releases");
                for (ReleaseInfo r : listed.releases()) {
                    out.printf("  %-28s %-14s %-10s %s  %d assets%s%n", r.name(), r.version(), r.channel(), r.created(),
                            r.assets().size(), r.prerelease() ? "  (pre-release)" : "");
                }
            });
            out.flush();
            return ExitCode.OK;
        }
    }

    @Command(name = "prune",
            description = "Delete all but the newest N releases whose name matches a pattern.")
    static final class PruneReleases implements Callable<Integer> {
        @Mixin
        Which which;

        @Option(names = "--keep", required = true, paramLabel = "N", description = "How many of the matching releases to keep.")
        int keep;

        @Option(names = "--match", defaultValue = "*", paramLabel = "PATTERN", description = "Only releases whose name matches (default: ${DEFAULT-VALUE}).")
        String match;

        @Option(names = "--dry-run", description = "Say what would be deleted, delete nothing.")
        boolean dryRun;

        @Override
        public Integer call() throws Exception {
            if (keep < 0) {
                throw new PlanException("--keep must be 0 or more");
            }
            PrintWriter out = which.out();
            Which.Releases pruned = which.with(store -> Prune.prune(store, keep, match, dryRun));
            String verb = dryRun ? "would delete " : "deleted ";
            for (ReleaseInfo r : pruned.releases()) {
                out.println(verb + r.name() + " (" + r.created() + ")");
            }
            out.println(pruned.releases().isEmpty() ? "nothing to prune" : verb + pruned.releases().size() + " releases from " + pruned.store());
            out.flush();
            return ExitCode.OK;
        }
    }
}
