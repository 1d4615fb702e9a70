import dev.cutter.oci.Layer;
import dev.cutter.oci.LayerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Builds the tar+gzip layer of every file under DIR as an image build does (LayerBuilder: sorted
 * entries, fixed mtime, gzip -6) into BLOBS:
 * {@code java -cp target/cutter.jar bench/BuildLayer.java DIR BLOBS}.
 */
public class BuildLayer {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Map<String, Path> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).forEach(f -> files.put("/" + dir.relativize(f), f));
        }
        Layer layer = LayerBuilder.fromFiles(files, Map.of(), 1767323045L, Files.createDirectories(Path.of(args[1])));
        System.out.println(layer.descriptor().digest() + " " + layer.descriptor().size() + " bytes");
    }
}
