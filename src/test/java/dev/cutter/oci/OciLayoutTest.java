package dev.cutter.oci;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutter.content.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciLayoutTest {
    static final String EMPTY_INDEX = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}";

    @TempDir
    Path tmp;

    /** A small manifest-like blob put into the layout, described as a manifest. */
    static Descriptor manifest(OciLayout layout, String content) throws IOException {
        byte[] bytes = content.getBytes(UTF_8);
        Digest digest = Digest.sha256(bytes);
        Path file = Files.write(Files.createTempFile("blob", ""), bytes);
        layout.putBlob(digest, file);
        Files.delete(file);
        return new Descriptor(MediaTypes.OCI_MANIFEST, digest, bytes.length);
    }

    static String index(OciLayout layout) throws IOException {
        return Files.readString(layout.root().resolve("index.json"));
    }

    @Test
    void openCreatesTheLayoutFilesAndDirectories() throws IOException {
        OciLayout layout = OciLayout.open(tmp.resolve("new/layout"));

        assertThat(layout.root().resolve("oci-layout")).hasContent("{\"imageLayoutVersion\":\"1.0.0\"}");
        assertThat(index(layout)).isEqualTo(EMPTY_INDEX);
        assertThat(layout.blobs()).isDirectory().isEqualTo(layout.root().resolve("blobs/sha256"));
        assertThat(layout.tags()).isEmpty();
    }

    @Test
    void reopeningKeepsWhatIsTagged() throws IOException {
        OciLayout layout = OciLayout.open(tmp);
        Descriptor one = manifest(layout, "{\"one\":1}");
        layout.tag("1.0.0", one);

        OciLayout again = OciLayout.open(tmp);

        assertThat(again.resolve("1.0.0")).contains(one);
        assertThat(again.tags()).containsExactly("1.0.0");
    }

    @Test
    void refusesADirectoryWithOtherFilesButNoOciLayout() throws IOException {
        Files.writeString(tmp.resolve("notes.txt"), "mine");

        assertThatThrownBy(() -> OciLayout.open(tmp))
                .isInstanceOf(OciLayoutException.class)
                .hasMessageContaining(tmp.toRealPath().toString()).hasMessageContaining("notes.txt")
                .hasMessageContaining("choose an empty or new directory");
        assertThat(tmp.resolve("index.json")).doesNotExist();
    }

    @Test
    void refusesALayoutOfAnotherMajorVersion() throws IOException {
        Files.writeString(tmp.resolve("oci-layout"), "{\"imageLayoutVersion\":\"2.0.0\"}");

        assertThatThrownBy(() -> OciLayout.open(tmp)).isInstanceOf(OciLayoutException.class).hasMessageContaining("2.0.0");
    }

    @Test
    void retaggingReplacesTheRef() throws IOException {
        OciLayout layout = OciLayout.open(tmp);
        Descriptor first = manifest(layout, "{\"v\":1}");
        Descriptor second = manifest(layout, "{\"v\":2}");
        layout.tag("latest", first);

        layout.tag("latest", second);

        assertThat(layout.resolve("latest")).contains(second);
        assertThat(layout.tags()).containsExactly("latest");
        assertThat(index(layout)).containsOnlyOnce("\"latest\"").contains(second.digest().toString())
                .doesNotContain(first.digest().toString());
    }

    @Test
    void indexEntriesAreSortedByRefNameSoTheBytesDoNotDependOnTaggingOrder() throws IOException {
        OciLayout one = OciLayout.open(tmp.resolve("one"));
        OciLayout two = OciLayout.open(tmp.resolve("two"));
        Descriptor a1 = manifest(one, "{\"a\":1}");
        Descriptor b1 = manifest(one, "{\"b\":1}");
        manifest(two, "{\"a\":1}");
        manifest(two, "{\"b\":1}");

        one.tag("1.0.0", a1);
        one.tag("latest", b1);
        one.tag("0.9.0", b1);
        two.tag("latest", b1);
        two.tag("0.9.0", b1);
        two.tag("1.0.0", a1);

        assertThat(index(two)).isEqualTo(index(one));
        assertThat(one.tags()).containsExactly("0.9.0", "1.0.0", "latest");
        assertThat(index(one)).startsWith("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
                + "\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + b1.digest()
                + "\",\"size\":" + b1.size() + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"0.9.0\"}},");
    }

    @Test
    void annotationsOfATaggedDescriptorSurviveAndTheRefNameIsNotReturned() throws IOException {
        OciLayout layout = OciLayout.open(tmp);
        Descriptor described = manifest(layout, "{}").withAnnotations(Map.of("org.opencontainers.image.created", "2024"));

        layout.tag("v1", described);

        assertThat(layout.resolve("v1")).contains(described);
    }

    @Test
    void untagRemovesTheRefAndKeepsTheBlob() throws IOException {
        OciLayout layout = OciLayout.open(tmp);
        Descriptor one = manifest(layout, "{\"v\":1}");
        layout.tag("a", one);
        layout.tag("b", one);

        assertThat(layout.untag("a")).isTrue();
        assertThat(layout.untag("a")).isFalse();

        assertThat(layout.tags()).containsExactly("b");
        assertThat(layout.resolve("a")).isEmpty();
        assertThat(layout.hasBlob(one.digest())).isTrue();
    }

    @Test
    void aBlobPutWithAWrongDigestIsRefusedAndNothingIsStored() throws IOException {
        OciLayout layout = OciLayout.open(tmp.resolve("layout"));
        Path source = Files.writeString(tmp.resolve("blob"), "actual content");
        Digest claimed = Digest.sha256("other content".getBytes(UTF_8));

        assertThatThrownBy(() -> layout.putBlob(claimed, source))
                .isInstanceOf(DigestMismatchException.class)
                .hasMessageContaining(claimed.toString()).hasMessageContaining(Digest.sha256(source).toString());

        assertThat(layout.hasBlob(claimed)).isFalse();
        try (Stream<Path> blobs = Files.list(layout.blobs())) {
            assertThat(blobs).isEmpty();
        }
    }

    @Test
    void aBuildersBlobIsMovedInNotCopiedAndASecondOneOfTheSameDigestIsLeftWhereItIs() throws IOException {
        OciLayout layout = OciLayout.open(tmp.resolve("layout"));
        Path built = Files.writeString(Files.createDirectories(tmp.resolve("built/blobs/sha256")).resolve("layer"), "layer bytes");
        Digest digest = Digest.sha256(built);
        Object inode = Files.readAttributes(built, java.nio.file.attribute.BasicFileAttributes.class).fileKey();

        assertThat(layout.adoptBlob(digest, built)).isTrue();

        assertThat(built).as("moved, not copied").doesNotExist();
        assertThat(layout.blob(digest)).hasContent("layer bytes");
        assertThat(Files.readAttributes(layout.blob(digest), java.nio.file.attribute.BasicFileAttributes.class).fileKey())
                .as("the same file, renamed").isEqualTo(inode);
        Path again = Files.writeString(tmp.resolve("built/blobs/sha256/again"), "layer bytes");
        assertThat(layout.adoptBlob(digest, again)).as("already there").isFalse();
        assertThat(again).exists();
    }

    @Test
    void putBlobCopiesVerifiedContentOnceAndThenSkips() throws IOException {
        OciLayout layout = OciLayout.open(tmp.resolve("layout"));
        Path source = Files.writeString(tmp.resolve("blob"), "content");
        Digest digest = Digest.sha256(source);

        assertThat(layout.putBlob(digest, source)).isTrue();
        assertThat(layout.putBlob(digest, source)).isFalse();

        assertThat(layout.blob(digest)).isEqualTo(layout.blobs().resolve(digest.hex())).hasSameBinaryContentAs(source);
    }

    @Test
    void refusesToTagADescriptorWhoseBlobIsNotInTheLayout() throws IOException {
        OciLayout layout = OciLayout.open(tmp);
        Descriptor missing = new Descriptor(MediaTypes.OCI_MANIFEST, Digest.sha256(new byte[] {1}), 1);

        assertThatThrownBy(() -> layout.tag("v1", missing))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("put the image's blobs first");
        assertThat(index(layout)).isEqualTo(EMPTY_INDEX);
    }

    @Test
    void refusesRefNamesOutsideTheImageSpecGrammar() throws IOException {
        OciLayout layout = OciLayout.open(tmp);
        Descriptor one = manifest(layout, "{}");

        for (String tag : List.of("", "-x", "x-", "a b", "a//b", "ü")) {
            assertThatThrownBy(() -> layout.tag(tag, one)).as(tag).isInstanceOf(IllegalArgumentException.class);
        }
        layout.tag("registry.example/app:1.0.0-rc.1+build", one);
        assertThat(layout.tags()).containsExactly("registry.example/app:1.0.0-rc.1+build");
    }

    @Test
    void entriesAndFieldsWrittenByOtherToolsAreKept() throws IOException {
        OciLayout layout = OciLayout.open(tmp);
        Descriptor one = manifest(layout, "{}");
        Files.writeString(tmp.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                + "\",\"digest\":\"" + one.digest() + "\",\"size\":" + one.size() + ",\"urls\":[\"https://x\"]}],"
                + "\"annotations\":{\"k\":\"v\"}}");

        layout.tag("v1", one);

        assertThat(index(layout)).isEqualTo("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                + "\",\"digest\":\"" + one.digest() + "\",\"size\":" + one.size() + ",\"urls\":[\"https://x\"]},"
                + "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + one.digest() + "\",\"size\":" + one.size()
                + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"}}],\"annotations\":{\"k\":\"v\"}}");
    }

    @Test
    void aCorruptIndexIsReportedWithItsPath() throws IOException {
        OciLayout layout = OciLayout.open(tmp);
        Files.writeString(tmp.resolve("index.json"), "{\"manifests\":[");

        assertThatThrownBy(layout::tags).isInstanceOf(OciLayoutException.class)
                .hasMessageStartingWith(layout.root().resolve("index.json").toString());
    }

    @Test
    void filesLeftByAKilledWriteChangeNothing() throws IOException {
        OciLayout layout = OciLayout.open(tmp);
        Descriptor one = manifest(layout, "{}");
        layout.tag("v1", one);
        String before = index(layout);
        Files.writeString(tmp.resolve(".tmp-killed"), "{\"schemaVersion\":2,\"manif");
        Files.writeString(layout.blobs().resolve(".tmp-killed"), "half a lay");

        OciLayout again = OciLayout.open(tmp);

        assertThat(index(again)).isEqualTo(before);
        assertThat(again.resolve("v1")).contains(one);
        assertThat(again.hasBlob(Digest.sha256("half a lay".getBytes(UTF_8)))).isFalse();
    }

    @Test
    void noTemporaryFileRemainsAfterWrites() throws IOException {
        OciLayout layout = OciLayout.open(tmp);
        Descriptor one = manifest(layout, "{}");
        layout.tag("v1", one);
        layout.untag("v1");

        try (Stream<Path> files = Files.walk(tmp)) {
            assertThat(files.map(path -> path.getFileName().toString())).noneMatch(name -> name.startsWith(".tmp-"));
        }
    }

    @Test
    void tagsFromManyThreadsAndLayoutInstancesAreAllKept() throws Exception {
        OciLayout layout = OciLayout.open(tmp);
        Descriptor one = manifest(layout, "{}");
        List<String> expected = new ArrayList<>();
        List<Future<?>> done = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 40; i++) {
                String tag = "t" + (100 + i);
                expected.add(tag);
                done.add(pool.submit(() -> {
                    OciLayout.open(tmp).tag(tag, one);
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        }

        assertThat(layout.tags()).containsExactlyElementsOf(expected);
    }
}
