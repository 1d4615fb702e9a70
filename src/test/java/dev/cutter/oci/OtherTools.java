package dev.cutter.oci;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutter.content.Digest;
import dev.cutter.testing.Tools;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Images made the way users make them without Cutter: umoci ({@code init}, {@code new},
 * {@code unpack --rootless}, {@code repack}) and buildah ({@code from scratch}, {@code copy},
 * {@code commit}, {@code push}, {@code manifest}) into OCI layouts, skopeo to push them to a
 * registry. The forms no such tool writes on its own (an index without {@code mediaType}, buildx's
 * attestation entries, an artifact with a {@code subject}, a non-distributable layer) are written
 * into a umoci layout as those tools lay them out, and pushed by skopeo all the same.
 */
final class OtherTools {
    static final ObjectMapper JSON = JsonMapper.builder().build();

    private OtherTools() {}

    /** Runs {@code command} (its program found on PATH) and fails the test with its output if it fails. */
    static String run(Map<String, String> environment, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(environment);
        Process process = builder.start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within 120 s");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            fail(String.join(" ", command) + " exited " + process.exitValue() + ": " + text);
        }
        return text;
    }

    // ---- umoci ---------------------------------------------------------------------------------

    /**
     * A umoci image {@code layout:tag} with one file, {@code /hello} holding {@code content}: its
     * manifest carries no {@code mediaType} (umoci 0.4 writes none), its layer is gzip.
     */
    static Path umoci(Path layout, String tag, String content) throws IOException, InterruptedException {
        Tools.require("umoci", "umoci");
        if (!Files.exists(layout.resolve("oci-layout"))) {
            run(Map.of(), "umoci", "init", "--layout", layout.toString());
        }
        run(Map.of(), "umoci", "new", "--image", layout + ":" + tag);
        Path bundle = Files.createTempDirectory(layout.getParent(), "bundle");
        Files.delete(bundle); // umoci unpacks into a directory it creates
        run(Map.of(), "umoci", "unpack", "--rootless", "--image", layout + ":" + tag, bundle.toString());
        Files.writeString(bundle.resolve("rootfs/hello"), content);
        run(Map.of(), "umoci", "repack", "--image", layout + ":" + tag, bundle.toString());
        return layout;
    }

    // ---- buildah -------------------------------------------------------------------------------

    /**
     * buildah with its own storage under {@code root} (vfs: no overlay needed; as root, chroot
     * isolation: no daemon, no user namespaces), so tests never share images.
     */
    record Buildah(Path root) {
        static Buildah at(Path root) {
            Tools.require("buildah", "buildah");
            return new Buildah(root);
        }

        String run(String... args) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of("buildah", "--storage-driver", "vfs",
                    "--root", root.resolve("storage").toString(), "--runroot", root.resolve("run").toString()));
            command.addAll(List.of(args));
            return OtherTools.run(Map.of("BUILDAH_ISOLATION", "chroot", "TMPDIR", root.toString()), command.toArray(String[]::new))
                    .strip();
        }

        /** An image {@code name} of {@code platform} from scratch with {@code /hello} holding {@code content}. */
        String image(String name, Platform platform, String content) throws IOException, InterruptedException {
            Files.createDirectories(root);
            String container = lastLine(run("from", "scratch"));
            Path file = Files.writeString(root.resolve(name + ".txt"), content);
            run("copy", container, file.toString(), "/hello");
            List<String> config = new ArrayList<>(List.of("config", "--os", platform.os(), "--arch", platform.architecture()));
            platform.variant().ifPresent(v -> config.addAll(List.of("--variant", v)));
            config.add(container);
            run(config.toArray(String[]::new));
            run("commit", "-q", container, name);
            run("rm", container);
            return name;
        }

        /** A manifest list {@code name} of the given images. */
        String list(String name, String... images) throws IOException, InterruptedException {
            run("manifest", "create", name);
            for (String image : images) {
                run("manifest", "add", name, "containers-storage:localhost/" + image);
            }
            return name;
        }

        private static String lastLine(String out) {
            String[] lines = out.strip().split("\n");
            return lines[lines.length - 1].strip();
        }
    }

    // ---- skopeo --------------------------------------------------------------------------------

    /** {@code skopeo copy --all --preserve-digests SRC DST}, then more options; the bytes arrive as they are. */
    static void skopeoCopy(String source, String target, String... options) throws IOException, InterruptedException {
        Tools.require("skopeo", "skopeo");
        List<String> command = new ArrayList<>(List.of("skopeo", "--insecure-policy", "copy", "--quiet", "--all",
                "--dest-tls-verify=false", "--src-tls-verify=false"));
        command.addAll(List.of(options));
        command.add(source);
        command.add(target);
        run(Map.of(), command.toArray(String[]::new));
    }

    /** What {@code docker://REF} holds, byte for byte, as skopeo reads it. */
    static byte[] raw(String reference) throws IOException, InterruptedException {
        Tools.require("skopeo", "skopeo");
        Process process = new ProcessBuilder("skopeo", "inspect", "--tls-verify=false", "--raw", "docker://" + reference)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            fail("skopeo inspect --raw docker://" + reference + " failed");
        }
        return out;
    }

    // ---- forms written into a layout -----------------------------------------------------------

    /** Writes {@code bytes} as a blob of {@code layout}; returns its descriptor. */
    static Descriptor blob(Path layout, String mediaType, byte[] bytes) throws IOException {
        Digest digest = Digest.sha256(bytes);
        Path file = layout.resolve("blobs/sha256/" + digest.hex());
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        return new Descriptor(mediaType, digest, bytes.length);
    }

    static Descriptor json(Path layout, String mediaType, JsonNode node) throws IOException {
        return blob(layout, mediaType, JSON.writeValueAsBytes(node));
    }

    static JsonNode read(Path layout, Digest digest) throws IOException {
        return JSON.readTree(layout.resolve("blobs/sha256/" + digest.hex()).toFile());
    }

    /** The descriptor {@code tag} names in the layout's {@code index.json}, as written there. */
    static ObjectNode entry(Path layout, String tag) throws IOException {
        for (JsonNode entry : JSON.readTree(layout.resolve("index.json").toFile()).path("manifests")) {
            if (tag.equals(entry.path("annotations").path(OciLayout.REF_NAME).asText())) {
                ObjectNode copy = ((ObjectNode) entry).deepCopy();
                copy.remove("annotations");
                return copy;
            }
        }
        return fail("no " + tag + " in " + layout);
    }

    /** Adds {@code tag} to the layout's {@code index.json}, pointing at {@code descriptor}, as umoci and skopeo name entries. */
    static void tag(Path layout, String tag, Descriptor descriptor) throws IOException {
        ObjectNode index = (ObjectNode) JSON.readTree(layout.resolve("index.json").toFile());
        ObjectNode entry = index.withArray("manifests").addObject();
        entry.put("mediaType", descriptor.mediaType()).put("digest", descriptor.digest().toString()).put("size", descriptor.size());
        entry.putObject("annotations").put(OciLayout.REF_NAME, tag);
        Files.write(layout.resolve("index.json"), JSON.writeValueAsBytes(index));
    }
}
