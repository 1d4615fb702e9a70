package dev.cutter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutter.oci.ImageReference;
import dev.cutter.oci.MediaTypes;
import dev.cutter.oci.OciLayout;
import dev.cutter.oci.RegistryClient;
import dev.cutter.oci.RegistryException;
import dev.cutter.plan.PlanException;
import dev.cutter.plan.PlanJson;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec.Target;

/** {@code cutter inspect REF}: what a tag or digest points at, without pulling the image. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show an image's digest, media type and platforms (HOST/PATH:TAG, HOST/PATH@DIGEST or oci:DIR:TAG).")
final class InspectCommand implements Callable<Integer> {
    @Parameters(paramLabel = "REF", description = "The image.")
    String reference;

    @Option(names = "--raw", description = "Print the manifest or index bytes as stored.")
    boolean raw;

    @Option(names = "--insecure", paramLabel = "HOST", description = "A registry host reached over plain HTTP (loopback always is).")
    List<String> insecure = new java.util.ArrayList<>();

    @picocli.CommandLine.Mixin
    Wiring wiring;

    @picocli.CommandLine.Spec(Target.SELF)
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = command.commandLine().getOut();
        ImageReference ref;
        try {
            ref = ImageReference.parse(reference);
        } catch (IllegalArgumentException e) {
            throw new PlanException(e.getMessage());
        }
        byte[] bytes;
        String digest;
        if (ref.layout()) {
            OciLayout layout = OciLayout.open(Path.of(ref.location()));
            var descriptor = layout.resolve(ref.reference())
                    .orElseThrow(() -> new PlanException(ref + " does not exist; tags there: " + String.join(", ", layoutTags(layout))));
            bytes = Files.readAllBytes(layout.blob(descriptor.digest()));
            digest = descriptor.digest().toString();
        } else {
            java.util.Map<String, String> environment = wiring.services().environment();
            RegistryClient client = new RegistryClient(RegistryClient.http(), wiring.services().logins(),
                    RegistryClient.Options.defaults().withInsecure(new HashSet<>(insecure))
                            .withTimeout(RegistryClient.timeoutFrom(environment.get("CUTTER_REGISTRY_TIMEOUT"))));
            try {
                var manifest = client.getManifest(ref.repository(), ref.reference())
                        .orElseThrow(() -> new PlanException(ref + " does not exist"));
                bytes = manifest.bytes();
                digest = manifest.digest().toString();
            } catch (RegistryException e) {
                command.commandLine().getErr().println("cutter: " + e.getMessage());
                return e.unreachable() ? ExitCode.UNREACHABLE : ExitCode.JOB_FAILED;
            }
        }
        if (raw) {
            out.print(new String(bytes, StandardCharsets.UTF_8));
        } else {
            JsonNode node = PlanJson.mapper().readTree(bytes);
            String mediaType = node.path("mediaType").asText();
            out.println(ref + "\n  digest: " + digest + "\n  media type: " + mediaType + "\n  size: " + bytes.length);
            if (MediaTypes.isIndex(mediaType)) {
                for (JsonNode m : node.path("manifests")) {
                    JsonNode p = m.path("platform");
                    out.println("  " + p.path("os").asText() + "/" + p.path("architecture").asText()
                            + (p.hasNonNull("variant") ? "/" + p.get("variant").asText() : "") + "  " + m.path("digest").asText()
                            + "  " + m.path("size").asLong() + " bytes");
                }
            } else {
                out.println("  config: " + node.path("config").path("digest").asText());
                node.path("layers").forEach(l -> out.println("  layer: " + l.path("digest").asText() + "  " + l.path("size").asLong() + " bytes"));
            }
        }
        out.flush();
        return ExitCode.OK;
    }

    private static List<String> layoutTags(OciLayout layout) {
        try {
            return layout.tags();
        } catch (java.io.IOException e) {
            return List.of();
        }
    }
}
