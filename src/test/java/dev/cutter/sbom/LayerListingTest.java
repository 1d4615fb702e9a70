package dev.cutter.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.oci.Layer;
import dev.cutter.oci.LayerBuilder;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SBOM's listing of a layer Cutter writes is taken in the pass that writes it: every byte of
 * every file goes by once, and the listing gives what reading the finished layer would.
 */
class LayerListingTest {
    @TempDir
    Path tmp;

    @Test
    void aLayerIsListedAsItIsWrittenAndNeverReadAgain() throws Exception {
        byte[] binary = new byte[3 << 20];
        new Random(7).nextBytes(binary);
        Path app = Files.write(tmp.resolve("app"), binary);
        Path tree = Files.createDirectories(tmp.resolve("conf"));
        Files.writeString(tree.resolve("a.yaml"), "a: 1\n");
        Files.createSymbolicLink(tree.resolve("b.yaml"), Path.of("a.yaml"));
        Path blobs = Files.createDirectories(tmp.resolve("store/blobs"));

        LayerListing listing = new LayerListing();
        long[] tapped = {0};
        Layer layer = LayerBuilder.fromFiles(Map.of("/srv/app", app, "/etc/app", tree), Map.of(), 0, blobs,
                LayerBuilder.Compression.GZIP, new LayerBuilder.Tap() {
                    @Override
                    public InputStream file(String path, InputStream content) {
                        return listing.file(path, counting(content, tapped));
                    }

                    @Override
                    public void other(String path, boolean directory) {
                        listing.other(path, directory);
                    }
                });
        assertThat(tapped[0]).as("each byte of the sources read once, into the layer and its listing together")
                .isEqualTo(binary.length + 5);
        Path listings = LayerListing.directory(tmp.resolve("store"));
        listing.write(listings, layer.descriptor().digest());

        Contents read = new Contents(p -> p.startsWith("srv/") || p.startsWith("etc/app"));
        try (InputStream in = Files.newInputStream(layer.blob())) {
            read.layer(in, layer.descriptor().mediaType());
        }
        Files.delete(layer.blob()); // the listing needs no byte of it
        Contents listed = new Contents(p -> p.startsWith("srv/") || p.startsWith("etc/app"));
        listed.layer(LayerListing.read(listings, layer.descriptor().digest()).orElseThrow());

        assertThat(listed.files()).isEqualTo(read.files());
        assertThat(listed.files()).extracting(SbomFile::path).containsExactly("etc/app/a.yaml", "srv/app");
        assertThat(listed.files().get(1).size()).isEqualTo(binary.length);
    }

    @Test
    void aLinkInALayerRemovesTheFileALowerLayerHadThere() throws Exception {
        Path lower = Files.createDirectories(tmp.resolve("lower"));
        Files.writeString(lower.resolve("b.yaml"), "old\n");
        Path upper = Files.createDirectories(tmp.resolve("upper"));
        Files.writeString(upper.resolve("a.yaml"), "a: 1\n");
        Files.createSymbolicLink(upper.resolve("b.yaml"), Path.of("a.yaml"));
        Path blobs = Files.createDirectories(tmp.resolve("store/blobs"));
        Path listings = LayerListing.directory(tmp.resolve("store"));
        Contents listed = new Contents(p -> true);
        for (Path dir : new Path[] {lower, upper}) {
            LayerListing listing = new LayerListing();
            Layer layer = LayerBuilder.fromFiles(Map.of("/etc/app", dir), Map.of(), 0, blobs, LayerBuilder.Compression.GZIP,
                    tap(listing));
            listing.write(listings, layer.descriptor().digest());
            listed.layer(LayerListing.read(listings, layer.descriptor().digest()).orElseThrow());
        }
        assertThat(listed.files()).extracting(SbomFile::path).containsExactly("etc/app/a.yaml");
    }

    @Test
    void aLayerWithAPackageDatabaseIsReadForItsPackages() throws Exception {
        Path status = Files.writeString(tmp.resolve("status"), SbomTest.DPKG_STATUS);
        Path blobs = Files.createDirectories(tmp.resolve("store/blobs"));
        LayerListing listing = new LayerListing();
        Layer layer = LayerBuilder.fromFiles(Map.of("/var/lib/dpkg/status", status), Map.of(), 0, blobs,
                LayerBuilder.Compression.GZIP, tap(listing));
        Path listings = LayerListing.directory(tmp.resolve("store"));
        listing.write(listings, layer.descriptor().digest());
        assertThat(LayerListing.read(listings, layer.descriptor().digest())).isEmpty();
    }

    private static LayerBuilder.Tap tap(LayerListing listing) {
        return new LayerBuilder.Tap() {
            @Override
            public InputStream file(String path, InputStream content) {
                return listing.file(path, content);
            }

            @Override
            public void other(String path, boolean directory) {
                listing.other(path, directory);
            }
        };
    }

    private static InputStream counting(InputStream in, long[] count) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    count[0]++;
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    count[0] += n;
                }
                return n;
            }
        };
    }
}
