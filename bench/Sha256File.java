import dev.cutter.content.Digest;
import java.nio.file.Path;

/** Prints the sha256 of a file as Cutter computes every digest: {@code java -cp target/cutter.jar bench/Sha256File.java FILE}. */
public class Sha256File {
    public static void main(String[] args) throws Exception {
        System.out.println(Digest.sha256(Path.of(args[0])).hex() + "  " + args[0]);
    }
}
