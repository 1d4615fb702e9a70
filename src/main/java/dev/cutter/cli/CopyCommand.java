package dev.cutter.cli;

import dev.cutter.oci.Copier;
import dev.cutter.oci.Credentials;
import dev.cutter.oci.ImageReference;
import dev.cutter.oci.OciLayout;
import dev.cutter.oci.RegistryClient;
import dev.cutter.oci.RegistryException;
import dev.cutter.plan.PlanException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec.Target;

/** {@code cutter copy SRC DST…}: an image copied digest for digest, like {@code skopeo copy --all}. */
@Command(name = "copy", mixinStandardHelpOptions = true,
        description = "Copy an image, every platform, digest for digest: HOST/PATH:TAG, HOST/PATH@DIGEST or oci:DIR:TAG.")
final class CopyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SRC", description = "The image to copy.")
    String source;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "DST", description = "Where to copy it (several: the source is read once).")
    List<String> targets = new ArrayList<>();

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", description = "Copy only this platform of an index (repeatable).")
    List<String> platforms = new ArrayList<>();

    @Option(names = "--insecure", paramLabel = "HOST", description = "A registry host reached over plain HTTP (loopback always is).")
    List<String> insecure = new ArrayList<>();

    @picocli.CommandLine.Spec(Target.SELF)
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = command.commandLine().getOut();
        ImageReference from;
        List<ImageReference> to = new ArrayList<>();
        List<dev.cutter.oci.Platform> only = new ArrayList<>();
        try {
            for (String p : platforms) {
                only.add(dev.cutter.oci.Platform.parse(p));
            }
            from = ImageReference.parse(source);
            for (String t : targets) {
                to.add(ImageReference.parse(t));
            }
        } catch (IllegalArgumentException e) {
            throw new PlanException(e.getMessage());
        }
        Set<String> plain = new HashSet<>(insecure);
        RegistryClient registry = new RegistryClient(RegistryClient.http(), Credentials.dockerConfig(System.getenv()), plain);
        Path store = Files.createTempDirectory("cutter-copy");
        try {
            for (Copier.Copied c : new Copier(registry, OciLayout.open(store.resolve("oci"))).copy(from, to, only)) {
                out.println(c.target() + " " + c.digest() + " (" + c.blobsSent() + " blobs sent)");
            }
            out.flush();
            return ExitCode.OK;
        } catch (RegistryException e) {
            command.commandLine().getErr().println("cutter: " + e.getMessage());
            return e.unauthorized() || e.status() == 0 ? ExitCode.UNREACHABLE : ExitCode.JOB_FAILED;
        } finally {
            try (var walk = Files.walk(store)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
