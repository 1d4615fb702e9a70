package dev.cutter.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutter.attest.EnvelopeSigner;
import dev.cutter.content.Digest;
import dev.cutter.oci.Descriptor;
import dev.cutter.oci.ImageTarget;
import dev.cutter.oci.ManifestContent;
import dev.cutter.oci.MediaTypes;
import dev.cutter.oci.Referrers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * cosign's key-based image signatures, stored as cosign stores them: an OCI image manifest tagged
 * {@code sha256-<hex of the signed manifest>.sig} whose layers are simple-signing payloads
 * ({@value SimpleSigning#MEDIA_TYPE}), each with its signature in base64 under the annotation
 * {@value #ANNOTATION}. The same manifest carries a {@code subject} and the artifact type
 * {@value #ARTIFACT_TYPE} and is listed in the subject's referrers, so OCI 1.1 clients find it
 * too, and a copy that carries referrers carries it. {@code cosign verify --key} and
 * containers/image ({@code sigstoreSigned} in a {@code policy.json}) accept it.
 */
public final class CosignSignatures {
    /** The layer annotation holding a payload's signature, base64. */
    public static final String ANNOTATION = "dev.cosignproject.cosign/signature";
    /** The artifact type cosign gives a signature stored as an OCI 1.1 referrer. */
    public static final String ARTIFACT_TYPE = "application/vnd.dev.cosign.artifact.sig.v1+json";

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private CosignSignatures() {}

    /** The tag cosign stores the signatures of {@code subject} under: {@code sha256-<hex>.sig}. */
    public static String tag(Digest subject) {
        return subject.algorithm() + "-" + subject.hex() + ".sig";
    }

    /** One signature found at the tag: the payload's bytes, as signed, and the signature over them. */
    public record Signature(byte[] payload, byte[] signature) {
        public Signature {
            payload = payload.clone();
            signature = signature.clone();
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        @Override
        public byte[] signature() {
            return signature.clone();
        }

        /** Whether {@code key} made this signature over this payload. */
        public boolean by(PublicKey key) {
            return EnvelopeSigner.verify(key, payload, signature);
        }
    }

    /** What {@link #attach} did: signed now, or found this key's signature of the digest there already. */
    public enum Outcome { SIGNED, KEPT }

    /**
     * Signs {@code subject} (a manifest or an index, as pushed) for {@code repository} with
     * {@code signer} and stores the signature in {@code target}. A signature by the same key of the
     * same digest already there is kept (the first record stays, and a release again changes
     * nothing); signatures by other keys stay beside the new one, as cosign appends them.
     */
    public static Outcome attach(ImageTarget target, Descriptor subject, String repository, EnvelopeSigner signer)
            throws IOException {
        List<Layer> layers = new ArrayList<>(layers(target, subject.digest()));
        for (Layer layer : layers) {
            if (layer.signature().by(signer.publicKey()) && names(layer.signature(), subject.digest())) {
                return Outcome.KEPT;
            }
        }
        byte[] payload = new SimpleSigning(repository, subject.digest()).bytes();
        layers.add(new Layer(new Signature(payload, signer.sign(payload))));
        put(target, subject, layers);
        return Outcome.SIGNED;
    }

    /**
     * Signs an image as {@code cosign sign --recursive} does: {@code top} and, when it is an index,
     * each manifest it lists. containers/image (podman, skopeo) checks the signature of the
     * platform manifest it pulls, cosign that of the digest it is given. Returns how many
     * signatures were made (those kept are not counted).
     */
    public static int signImage(ImageTarget target, Descriptor top, String repository, EnvelopeSigner signer) throws IOException {
        List<Descriptor> subjects = new ArrayList<>(List.of(top));
        if (MediaTypes.isIndex(top.mediaType())) {
            byte[] index = target.getManifest(top.digest()).orElseThrow(() -> new IOException(target + " lacks " + top.digest()));
            subjects.addAll(ManifestContent.parse(index, top.mediaType(), target + "@" + top.digest()).manifests());
        }
        int signed = 0;
        for (Descriptor subject : subjects) {
            if (attach(target, new Descriptor(subject.mediaType(), subject.digest(), subject.size()), repository, signer)
                    == Outcome.SIGNED) {
                signed++;
            }
        }
        return signed;
    }

    /** Every signature stored for {@code subject} in {@code target}; none when it has no {@code .sig} tag. */
    public static List<Signature> read(ImageTarget target, Digest subject) throws IOException {
        return layers(target, subject).stream().map(Layer::signature).toList();
    }

    /**
     * The payload of a signature in {@code target} that {@code key} made over {@code subject}
     * (its payload naming that digest); empty when there is none. What a verifier asks.
     */
    public static Optional<SimpleSigning> verified(ImageTarget target, Digest subject, PublicKey key) throws IOException {
        for (Signature s : read(target, subject)) {
            if (s.by(key) && names(s, subject)) {
                return Optional.of(SimpleSigning.parse(s.payload()));
            }
        }
        return Optional.empty();
    }

    private static boolean names(Signature signature, Digest subject) {
        try {
            return SimpleSigning.parse(signature.payload()).manifestDigest().equals(subject);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A layer of the signature manifest. */
    private record Layer(Signature signature) {}

    private static List<Layer> layers(ImageTarget target, Digest subject) throws IOException {
        Optional<Descriptor> tagged = target.resolve(tag(subject));
        if (tagged.isEmpty()) {
            return List.of();
        }
        Optional<byte[]> manifest = target.getManifest(tagged.get().digest());
        if (manifest.isEmpty()) {
            return List.of();
        }
        List<Layer> out = new ArrayList<>();
        for (JsonNode layer : JSON.readTree(manifest.get()).path("layers")) {
            String signature = layer.path("annotations").path(ANNOTATION).asText("");
            if (!layer.path("mediaType").asText().equals(SimpleSigning.MEDIA_TYPE) || signature.isEmpty()) {
                continue;
            }
            try {
                byte[] payload = target.getDocument(Digest.parse(layer.path("digest").asText()), layer.path("size").asLong(-1));
                out.add(new Layer(new Signature(payload, Base64.getDecoder().decode(signature))));
            } catch (IllegalArgumentException e) {
                throw new IOException(target + ":" + tag(subject) + ": a signature layer that cannot be read: " + e.getMessage(), e);
            }
        }
        return out;
    }

    /**
     * Writes the signature manifest: each payload as a blob, a config as cosign writes one (its
     * rootfs naming the payloads), the manifest by digest, the {@code .sig} tag, and the entry in
     * the subject's referrers.
     */
    private static void put(ImageTarget target, Descriptor subject, List<Layer> layers) throws IOException {
        ArrayNode layerNodes = JSON.createArrayNode();
        ArrayNode diffIds = JSON.createArrayNode();
        for (Layer layer : layers) {
            byte[] payload = layer.signature().payload();
            Digest digest = putBlob(target, payload);
            ObjectNode node = layerNodes.addObject();
            node.put("mediaType", SimpleSigning.MEDIA_TYPE);
            node.put("digest", digest.toString());
            node.put("size", payload.length);
            node.putObject("annotations").put(ANNOTATION, Base64.getEncoder().encodeToString(layer.signature().signature()));
            diffIds.add(digest.toString());
        }
        ObjectNode config = JSON.createObjectNode();
        config.put("architecture", "");
        config.putObject("config");
        config.put("os", "");
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.set("diff_ids", diffIds);
        byte[] configBytes = JSON.writeValueAsBytes(config);
        Digest configDigest = putBlob(target, configBytes);

        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
        manifest.put("artifactType", ARTIFACT_TYPE);
        ObjectNode configNode = manifest.putObject("config");
        configNode.put("mediaType", MediaTypes.OCI_CONFIG);
        configNode.put("digest", configDigest.toString());
        configNode.put("size", configBytes.length);
        manifest.set("layers", layerNodes);
        ObjectNode subjectNode = manifest.putObject("subject");
        subjectNode.put("mediaType", subject.mediaType());
        subjectNode.put("digest", subject.digest().toString());
        subjectNode.put("size", subject.size());
        byte[] bytes = JSON.writeValueAsBytes(manifest);
        Descriptor descriptor = new Descriptor(MediaTypes.OCI_MANIFEST, Digest.sha256(bytes), bytes.length);
        target.putManifest(descriptor, bytes);
        target.tag(tag(subject.digest()), descriptor, bytes);
        Referrers.index(target, subject.digest(), List.of(new Referrers.Referrer(descriptor, ARTIFACT_TYPE)));
    }

    private static Digest putBlob(ImageTarget target, byte[] content) throws IOException {
        Digest digest = Digest.sha256(content);
        Path temp = Files.createTempFile("cosign", ".blob");
        try {
            Files.write(temp, content);
            target.putBlob(digest, d -> temp);
        } finally {
            Files.deleteIfExists(temp);
        }
        return digest;
    }
}
