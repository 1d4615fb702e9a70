package dev.cutter.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files are made in Cutter's own staging, never in the tree they go to, and whoever comes after their owner removes the staging. */
class StagingTest {
    @TempDir
    Path project;

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFileIsMadeInTheProjectsStagingAndAppearsInItsTreeWholeInOneStep() throws Exception {
        Path tree = Files.createDirectories(project.resolve("dist/repo"));
        Staging staging = Staging.forRun(project, "r20261207-101010-abcd");
        Path target = tree.resolve("hello.rpm");
        staging.write(target, staged -> {
            assertThat(staged).startsWith(project.resolve(".cutter/staging/r20261207-101010-abcd"));
            Files.writeString(staged, "half");
            assertThat(names(tree)).as("nothing appears in the tree while the file is made").isEmpty();
            Files.writeString(staged, "whole");
        });
        assertThat(names(tree)).containsExactly("hello.rpm");
        assertThat(Files.readString(target)).isEqualTo("whole");
        assertThat(Files.getPosixFilePermissions(target)).isEqualTo(PublishedFiles.READABLE);
        assertThat(names(project.resolve(".cutter/staging/r20261207-101010-abcd"))).as("the staged file never outlives the write").isEmpty();
    }

    @Test
    void aWriteThatFailsLeavesTheTargetAsItWasAndNothingStaged() throws Exception {
        Path target = Files.writeString(Files.createDirectories(project.resolve("dist")).resolve("SHA256SUMS"), "old");
        Staging staging = Staging.forRun(project, "r1");
        assertThatThrownBy(() -> staging.write(target, staged -> {
            Files.writeString(staged, "new, half");
            throw new IOException("disk full");
        })).hasMessage("disk full");
        assertThat(Files.readString(target)).isEqualTo("old");
        assertThat(names(project.resolve(".cutter/staging/r1"))).isEmpty();
    }

    @Test
    void aTreeOnAnotherFileSystemIsStagedBesideItNamedForTheOwnerAndListedSoItCanBeRemoved() throws Exception {
        Path shm = Path.of("/dev/shm");
        assertThat(Files.isDirectory(shm) && !Files.getFileStore(shm).equals(Files.getFileStore(project)))
                .as("/dev/shm is a tmpfs of its own on Linux; this test needs a second file system there").isTrue();
        Path other = Files.createTempDirectory(shm, "cutter-staging-test");
        try {
            Path tree = Files.createDirectories(other.resolve("srv/repo"));
            Staging staging = Staging.forRun(project, "r2");
            Path[] seen = new Path[1];
            staging.write(tree.resolve("repomd.xml"), staged -> {
                seen[0] = staged;
                Files.writeString(staged, "<repomd/>");
            });
            assertThat(seen[0].getParent()).as("beside the tree, on its file system").isEqualTo(other.resolve("srv/.cutter-staging-r2"));
            assertThat(names(tree)).containsExactly("repomd.xml");
            assertThat(Files.readString(project.resolve(".cutter/staging/r2.elsewhere"))).contains(other.resolve("srv/.cutter-staging-r2").toString());

            Files.writeString(staging.file(tree, "killed-halfway"), "half"); // what a killed run leaves
            assertThat(Staging.owners(project)).containsExactly("r2");
            Staging.remove(project, "r2");
            assertThat(names(other.resolve("srv"))).containsExactly("repo");
            assertThat(Staging.owners(project)).isEmpty();
        } finally {
            FileTrees.delete(other);
        }
    }

    @Test
    void removingAnOwnersStagingTouchesNothingItsListNamesThatIsNotItsOwn() throws Exception {
        Path precious = Files.createDirectories(project.resolve("precious"));
        Files.writeString(precious.resolve("keep"), "keep");
        Files.createDirectories(project.resolve(".cutter/staging/r3"));
        Files.writeString(project.resolve(".cutter/staging/r3.elsewhere"), precious + "\nrelative/.cutter-staging-r3\n");
        Staging.remove(project, "r3");
        assertThat(names(precious)).containsExactly("keep");
        assertThat(Staging.owners(project)).isEmpty();
    }

    @Test
    void aSweepRemovesWhatEndedProcessesAndRunsThatAreOverLeftAndNothingElse() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        assertThat(ended.waitFor(10, TimeUnit.SECONDS)).isTrue();
        long start = ended.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(1L);
        String owner;
        try (Staging mine = Staging.forProcess(project)) {
            owner = mine.owner();
            Files.writeString(mine.file(project.resolve("dist"), "live"), "mine");
            String host = mine.owner().substring(mine.owner().indexOf('-', mine.owner().indexOf('-') + 1) + 1);
            String dead = "p" + ended.pid() + "-" + start + "-" + host;
            Files.createDirectories(project.resolve(".cutter/staging").resolve(dead));
            Files.createDirectories(project.resolve(".cutter/staging/p1-1-another.host"));
            Files.createDirectories(project.resolve(".cutter/staging/r-over"));
            Files.createDirectories(project.resolve(".cutter/staging/r-live"));

            Staging.sweep(project, name -> name.equals("r-over"));

            assertThat(Staging.owners(project)).as("this process, one of another machine, and a live run stay")
                    .isEqualTo(Set.of(mine.owner(), "p1-1-another.host", "r-live"));
        }
        assertThat(Staging.owners(project)).as("a process's staging goes when it closes it").doesNotContain(owner);
    }

    @Test
    void anOwnersNameCannotLeadOutOfTheStaging() {
        assertThatThrownBy(() -> Staging.forRun(project, "../escape")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Staging.remove(project, "a/b")).isInstanceOf(IllegalArgumentException.class);
    }
}
