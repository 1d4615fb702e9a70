package dev.cutter.release;

import static dev.cutter.release.Fixtures.T0;
import static dev.cutter.release.Fixtures.asset;
import static dev.cutter.release.Fixtures.draft;
import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutter.testing.TestStaging;
import dev.cutter.content.Digest;
import dev.cutter.release.PublishResult.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling release ({@code v0.1-test}) replaced again and again while someone downloads it: every
 * read that completes sees one whole release, never a mix of two or a missing file.
 */
class AtomicReplacementTest {
    static final int REPLACEMENTS = 50;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void readersSeeEitherTheOldOrTheNewReleaseWholeDuringReplacements() throws Exception {
        Path sources = Files.createDirectories(temp.resolve("dist"));
        DirectoryStore store = new DirectoryStore(temp.resolve("releases"), TestStaging.in(temp));
        store.publish(rolling(sources, 0), ExistsPolicy.REPLACE);
        Path link = store.root().resolve("v0.1-test");
        AtomicBoolean publishing = new AtomicBoolean(true);
        List<String> inconsistencies = new ArrayList<>();

        CompletableFuture<int[]> reader = CompletableFuture.supplyAsync(() -> {
            int[] counts = new int[3]; // consistent reads, reads restarted because of a replacement, link missing
            while (publishing.get()) {
                if (!Files.exists(link, NOFOLLOW_LINKS)) {
                    counts[2]++;
                }
                try {
                    String problem = readOnce(link);
                    if (problem == null) {
                        counts[0]++;
                    } else {
                        inconsistencies.add(problem);
                    }
                    if (store.find("v0.1-test").isEmpty()) {
                        inconsistencies.add("find saw no release");
                    }
                } catch (NoSuchFileException replacedWhileReading) {
                    counts[1]++;
                } catch (IOException e) {
                    inconsistencies.add(e.toString());
                }
            }
            return counts;
        });

        for (int i = 1; i <= REPLACEMENTS; i++) {
            assertThat(store.publish(rolling(sources, i), ExistsPolicy.REPLACE).outcome()).isEqualTo(Outcome.REPLACED);
        }
        publishing.set(false);
        int[] counts = reader.get();

        assertThat(inconsistencies).isEmpty();
        assertThat(counts[2]).as("times the release was missing").isZero();
        assertThat(counts[0]).as("consistent reads").isPositive();
        assertThat(store.find("v0.1-test")).contains(rolling(sources, REPLACEMENTS).info());
        try (Stream<Path> targets = Files.list(store.root().resolve(".releases"))) {
            assertThat(targets).as("replaced directories are deleted").hasSize(1);
        }
    }

    /** Release {@code i}: three assets whose content and size change with {@code i}. */
    private static ReleaseDraft rolling(Path sources, int i) {
        return draft("v0.1-test", T0.plusSeconds(i), "build " + i + "\n", List.of(
                asset(sources, "kontain.tar.gz", ("km build " + i + "\n").repeat(2000 + i), 1),
                asset(sources, "runenv-python.tar.gz", ("python build " + i + "\n").repeat(1000 + i), 2),
                asset(sources, "SHA256SUMS", "sums " + i, null)));
    }

    /**
     * Reads the release the way a careful downloader does: resolve the link once, then read
     * release.json and every asset from that directory. A file may vanish only because the
     * release was replaced meanwhile (the link leads elsewhere now): then the read starts over.
     *
     * @return what is wrong with what was read, or null if it is one whole release
     * @throws NoSuchFileException when the release was replaced while it was read
     */
    private static String readOnce(Path link) throws IOException {
        Path dir = link.toRealPath();
        try {
            JsonNode release = JSON.readTree(Files.readAllBytes(dir.resolve("release.json")));
            Set<String> expected = new TreeSet<>(Set.of("release.json", "NOTES.md"));
            for (JsonNode asset : release.get("assets")) {
                String name = asset.get("name").asText();
                expected.add(name);
                byte[] bytes = Files.readAllBytes(dir.resolve(name));
                if (!Digest.sha256(bytes).toString().equals(asset.get("digest").asText())
                        || bytes.length != asset.get("size").asLong()) {
                    return dir.getFileName() + ": " + name + " does not match release.json";
                }
            }
            Set<String> present = new TreeSet<>();
            try (Stream<Path> files = Files.list(dir)) {
                files.forEach(file -> present.add(file.getFileName().toString()));
            }
            if (!present.equals(expected)) {
                throw new NoSuchFileException(dir + " holds " + present + ", not " + expected);
            }
            return null;
        } catch (NoSuchFileException | java.io.UncheckedIOException e) {
            if (!replacedSince(link, dir)) {
                return "the release that is still current lost a file: " + e;
            }
            throw new NoSuchFileException(dir.toString());
        }
    }

    private static boolean replacedSince(Path link, Path dir) {
        try {
            return !link.toRealPath().equals(dir);
        } catch (IOException e) {
            return true; // the link moved on while it was resolved
        }
    }
}
