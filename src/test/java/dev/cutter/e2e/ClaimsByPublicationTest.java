package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.testing.LocalRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A filtered release claims the publications it makes, not its whole version (dbx-runtime's manual
 * dispatch, shared/seeds/001): the full release of the version afterwards goes on from there,
 * leaving what the filtered one published as it is, and is refused, changing nothing, where it
 * would publish something else under the same version.
 */
@Tag("e2e")
class ClaimsByPublicationTest {
    static final Map<String, String> ENV = Map.of("SOURCE_DATE_EPOCH", "1767323045");
    static final String[] FILTER = {"--only", "image=python", "--only", "runtime=15.4 LTS"};

    @TempDir
    Path tmp;

    CutterProcess.Result release(Path project, LocalRegistry ghcr, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("release", "--version", "1.0.1", "--var", "GHCR=" + ghcr.address()));
        args.addAll(List.of(more));
        return CutterProcess.inProcess(project, ENV, args.toArray(String[]::new));
    }

    @Test
    void theFullReleaseAfterAFilteredOneGoesOnFromWhatItPublishedAndLeavesThatAsItIs() throws Exception {
        try (LocalRegistry ghcr = LocalRegistry.start()) {
            Path project = Projects.copy("dbx-runtime", tmp.resolve("dbx"));
            Projects.releaseBases(project, "GHCR", ghcr.address());
            List<String> repository = List.of(ghcr.address() + "/twsl/dbx-runtime");
            CutterProcess.Result filtered = release(project, ghcr, FILTER);
            assertThat(filtered.exit()).as(filtered.out() + filtered.err()).isZero();
            Map<String, String> afterFiltered = RegistrySnapshot.of(repository);
            assertThat(afterFiltered).containsOnlyKeys(repository.getFirst() + ":python-py312",
                    repository.getFirst() + ":python-15.4-lts-ubuntu2204-py311", repository.getFirst() + ":python-15.4-lts-py311");
            String filteredRun = runId(filtered.out());

            CutterProcess.Result full = release(project, ghcr);

            assertThat(full.exit()).as(full.out() + full.err()).isZero();
            assertThat(full.out()).contains("released dbx-runtime 1.0.1")
                    .contains("skipped   push/base/python: published by run " + filteredRun + " as planned")
                    .contains("skipped   push/runtime/15.4-LTS-python-_: published by run " + filteredRun + " as planned")
                    .contains("point where they should");
            Map<String, String> afterFull = RegistrySnapshot.of(repository);
            assertThat(afterFull).as("what the filtered release published is left byte for byte as it was")
                    .containsAllEntriesOf(afterFiltered);
            assertThat(afterFull.keySet().stream().map(k -> k.substring(k.lastIndexOf(':') + 1)).toList())
                    .contains("python-17.3-lts-ubuntu2404-py312", "python-latest", "minimal", "gpu-latest", "standard-gpu-py312");
            CutterProcess.Result shown = CutterProcess.inProcess(project, ENV, "runs", "show", "last", "--json");
            assertThat(shown.out()).as("its pushes are not made again")
                    .containsPattern("\"push/base/python\"[^}]*\"skipped\"[^}]*published by run " + filteredRun + " as planned")
                    .containsPattern("\"push/runtime/15.4-LTS-python-_\"[^}]*\"skipped\"[^}]*published by run " + filteredRun);

            CutterProcess.Result again = release(project, ghcr);
            CutterProcess.Result filteredAgain = release(project, ghcr, FILTER);
            assertThat(again.exit()).as(again.out() + again.err()).isZero();
            assertThat(again.out()).contains("was already released by run").contains("nothing to do");
            assertThat(filteredAgain.exit()).as(filteredAgain.out() + filteredAgain.err()).isZero();
            assertThat(filteredAgain.out()).contains("was already released by run " + filteredRun).contains("nothing to do");
            assertThat(RegistrySnapshot.of(repository)).isEqualTo(afterFull);
        }
    }

    @Test
    void theFullReleaseFromALaterCommitIsRefusedForWhatTheFilteredOnePublishedAndChangesNothing() throws Exception {
        try (LocalRegistry ghcr = LocalRegistry.start()) {
            Path project = Projects.copy("dbx-runtime", tmp.resolve("dbx"));
            Projects.releaseBases(project, "GHCR", ghcr.address());
            List<String> repository = List.of(ghcr.address() + "/twsl/dbx-runtime");
            CutterProcess.Result filtered = release(project, ghcr, FILTER);
            assertThat(filtered.exit()).as(filtered.out() + filtered.err()).isZero();
            String filteredRun = runId(filtered.out());
            Files.writeString(project.resolve("data/base/python"), "python base, changed after the dispatch\n");
            Projects.git(project, "commit", "-qam", "the python base changes");
            Map<String, String> before = RegistrySnapshot.of(repository);

            CutterProcess.Result full = release(project, ghcr);

            assertThat(full.exit()).as(full.out() + full.err()).isEqualTo(3);
            assertThat(full.out()).contains("dbx-runtime 1.0.1 (tag v1.0.1) was already released by run " + filteredRun
                    + " with other content than this plan makes: push/base/python (" + repository.getFirst() + "), "
                    + "push/runtime/15.4-LTS-python-_ (" + repository.getFirst() + ")").contains("immutable");
            assertThat(full.out()).doesNotContain("started");
            assertThat(RegistrySnapshot.of(repository)).as("a refused release changes nothing").isEqualTo(before);
        }
    }

    /** The run a release printed it released. */
    static String runId(String out) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\(run (r[0-9]{8}-[0-9]{6}-[0-9a-f]{4})\\)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return m.group(1);
    }
}
