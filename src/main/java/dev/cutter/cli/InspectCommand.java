package dev.cutter.cli;

import dev.cutter.oci.Descriptor;
import dev.cutter.oci.ImageReference;
import dev.cutter.oci.ManifestContent;
import dev.cutter.oci.MediaTypes;
import dev.cutter.oci.OciLayout;
import dev.cutter.oci.Platform;
import dev.cutter.oci.RegistryException;
import dev.cutter.plan.PlanException;
import dev.cutter.plan.PlanJson;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cutter inspect REF}: what a tag or digest points at, without pulling the image. */
@Command(footer = {"%nExamples:", "  cutter inspect ghcr.io/acme/app:1.2.3", "  cutter inspect oci:dist/oci/app:1.2.3 --json"},
        name = "inspect",
        description = "Show an image's digest, media type and platforms (HOST/PATH:TAG, HOST/PATH@DIGEST or oci:DIR:TAG).")
final class InspectCommand implements Callable<Integer> {
    @Parameters(paramLabel = "REF", description = "The image.")
    String reference;

    @Option(names = "--raw", description = "Print the manifest or index bytes as stored.")
    boolean raw;

    @picocli.CommandLine.Mixin
    RegistryOptions registry;

    @picocli.CommandLine.Mixin
    JsonOption json;

    @picocli.CommandLine.Mixin
    Wiring wiring;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = wiring.out();
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
            bytes = layout.manifestBytes(descriptor.digest());
            digest = descriptor.digest().toString();
        } else {
            var manifest = registry.client(wiring.services()).getManifest(ref.repository(), ref.reference())
                    .orElseThrow(() -> new PlanException(ref + " does not exist"));
            bytes = manifest.bytes();
            digest = manifest.digest().toString();
        }
        if (raw) {
            out.print(new String(bytes, StandardCharsets.UTF_8));
            out.flush();
            return ExitCode.OK;
        }
        ManifestContent content;
        try { // the media type by the manifest's own field, else by its shape: other tools may leave the field out
            content = ManifestContent.parse(bytes, "", ref.toString());
        } catch (RegistryException e) {
            if (ref.layout()) {
                throw new PlanException(e.getMessage()); // a file on this machine, named on the command line
            }
            throw e;
        }
        String mediaType = content.mediaType();
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("reference", ref.toString());
        shown.put("digest", digest);
        shown.put("mediaType", mediaType);
        shown.put("size", bytes.length);
        if (MediaTypes.isIndex(mediaType)) {
            List<Map<String, Object>> platforms = new ArrayList<>();
            for (Descriptor m : content.manifests()) {
                platforms.add(Map.of("platform", m.platform().map(Platform::toString).orElse("(none)"), "digest", m.digest().toString(),
                        "size", m.size()));
            }
            shown.put("manifests", platforms);
        } else {
            shown.put("config", content.config().map(c -> c.digest().toString()).orElse(""));
            List<Map<String, Object>> layers = new ArrayList<>();
            content.layers().forEach(l -> layers.add(Map.of("digest", l.digest().toString(), "size", l.size())));
            shown.put("layers", layers);
        }
        if (json.json) {
            JsonOption.print(out, shown);
            return ExitCode.OK;
        }
        out.println(ref + "\n  digest: " + digest + "\n  media type: " + mediaType + "\n  size: " + bytes.length);
        if (shown.get("manifests") instanceof List<?> platforms) {
            for (Object o : platforms) {
                Map<?, ?> m = (Map<?, ?>) o;
                out.println("  " + m.get("platform") + "  " + m.get("digest") + "  " + m.get("size") + " bytes");
            }
        } else {
            out.println("  config: " + shown.get("config"));
            for (Object o : (List<?>) shown.get("layers")) {
                Map<?, ?> l = (Map<?, ?>) o;
                out.println("  layer: " + l.get("digest") + "  " + l.get("size") + " bytes");
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
