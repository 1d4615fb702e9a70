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

    /**
     * One signature found at the tag: the payload's bytes, as signed, and the signature over them;
     * a keyless one also its certificate chain (DER, leaf first) and Rekor entry.
     */
    public record Signature(byte[] payload, byte[] signature, List<byte[]> certificates, Optional<LogEntry> entry) {
        public Signature {
            payload = payload.clone();
            signature = signature.clone();
            certificates = List.copyOf(certificates);
        }

        /** A key's signature: no certificate, no log entry. */
        public Signature(byte[] payload, byte[] signature) {
            this(payload, signature, List.of(), Optional.empty());
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

        /** Whether this is a keyless signature (it carries a certificate). */
        public boolean keyless() {
            return !certificates.isEmpty();
        }

        /** Why this is not a keyless signature of its payload by the identity {@code verifier} expects; empty when it is. */
        public Optional<String> keylessRefusal(KeylessVerifier verifier) throws IOException {
            return verifier.refusal(new KeylessVerifier.Evidence(certificates, signature, entry), Digest.sha256(payload),
                    (key, sig) -> EnvelopeSigner.verify(key, payload, sig));
        }
    }

    /** How a signature of a payload is made: with the release key, or keyless (a Fulcio certificate and a Rekor entry). */
    public interface Signing {
        /** Whether {@code existing} is one this signing made of {@code subject} before, which then stays. */
        boolean made(Signature existing, Digest subject);

        Signature sign(byte[] payload) throws IOException;

        /** The release key's: deterministic, so a signature made again is the same bytes. */
        static Signing key(EnvelopeSigner signer) {
            return new Signing() {
                @Override
                public boolean made(Signature existing, Digest subject) {
                    return existing.by(signer.publicKey()) && names(existing, subject);
                }

                @Override
                public Signature sign(byte[] payload) {
                    return new Signature(payload, signer.sign(payload));
                }
            };
        }

        /**
         * Keyless, as {@code cosign sign} without a key: a keyless signature of the subject made
         * earlier stays, since another would hold another certificate and log entry; with
         * {@code accepted} (the spec's trusted root and identity), only one it accepts.
         */
        static Signing keyless(KeylessSigner signer, Optional<KeylessVerifier> accepted) {
            return new Signing() {
                @Override
                public boolean made(Signature existing, Digest subject) {
                    if (!existing.keyless() || existing.entry().isEmpty() || !names(existing, subject)) {
                        return false;
                    }
                    try {
                        return accepted.isEmpty() || existing.keylessRefusal(accepted.get()).isEmpty();
                    } catch (IOException e) {
                        return false;
                    }
                }

                @Override
                public Signature sign(byte[] payload) throws IOException {
                    KeylessSigner.Signed signed = signer.sign(SimpleSigning.parse(payload));
                    return new Signature(signed.payload(), signed.signature(), signed.certificates(),
                            Optional.of(LogEntry.fromBundle(signed.tlogEntry())));
                }
            };
        }
    }

    /** What {@link #attach} did: signed now, or found this key's signature of the digest there already. */
    public enum Outcome { SIGNED, KEPT }

    /**
     * Signs {@code subject} (a manifest or an index, as pushed) for {@code repository} as
     * {@code signing} does and stores the signature in {@code target}. One {@code signing} made
     * of the same digest already there is kept (the first record stays, and a release again
     * changes nothing); other signatures stay beside the new one, as cosign appends them.
     */
    public static Outcome attach(ImageTarget target, Descriptor subject, String repository, Signing signing) throws IOException {
        List<Signature> layers = new ArrayList<>(read(target, subject.digest()));
        for (Signature layer : layers) {
            if (signing.made(layer, subject.digest())) {
                return Outcome.KEPT;
            }
        }
        layers.add(signing.sign(new SimpleSigning(repository, subject.digest()).bytes()));
        put(target, subject, layers);
        return Outcome.SIGNED;
    }

    /** {@link #attach} with the release key. */
    public static Outcome attach(ImageTarget target, Descriptor subject, String repository, EnvelopeSigner signer) throws IOException {
        return attach(target, subject, repository, Signing.key(signer));
    }

    /**
     * Signs an image as {@code cosign sign --recursive} does: {@code top} and, when it is an index,
     * each manifest it lists. containers/image (podman, skopeo) checks the signature of the
     * platform manifest it pulls, cosign that of the digest it is given. Returns how many
     * signatures were made (those kept are not counted).
     */
    public static int signImage(ImageTarget target, Descriptor top, String repository, Signing signing) throws IOException {
        List<Descriptor> subjects = new ArrayList<>(List.of(top));
        if (MediaTypes.isIndex(top.mediaType())) {
            byte[] index = target.getManifest(top.digest()).orElseThrow(() -> new IOException(target + " lacks " + top.digest()));
            subjects.addAll(ManifestContent.parse(index, top.mediaType(), target + "@" + top.digest()).manifests());
        }
        int signed = 0;
        for (Descriptor subject : subjects) {
            if (attach(target, new Descriptor(subject.mediaType(), subject.digest(), subject.size()), repository, signing)
                    == Outcome.SIGNED) {
                signed++;
            }
        }
        return signed;
    }

    /** {@link #signImage} with the release key. */
    public static int signImage(ImageTarget target, Descriptor top, String repository, EnvelopeSigner signer) throws IOException {
        return signImage(target, top, repository, Signing.key(signer));
    }

    /** Every signature stored for {@code subject} in {@code target}; none when it has no {@code .sig} tag. */
    public static List<Signature> read(ImageTarget target, Digest subject) throws IOException {
        Optional<Descriptor> tagged = target.resolve(tag(subject));
        if (tagged.isEmpty()) {
            return List.of();
        }
        Optional<byte[]> manifest = target.getManifest(tagged.get().digest());
        if (manifest.isEmpty()) {
            return List.of();
        }
        List<Signature> out = new ArrayList<>();
        for (JsonNode layer : JSON.readTree(manifest.get()).path("layers")) {
            JsonNode annotations = layer.path("annotations");
            String signature = annotations.path(ANNOTATION).asText("");
            if (!layer.path("mediaType").asText().equals(SimpleSigning.MEDIA_TYPE) || signature.isEmpty()) {
                continue;
            }
            try {
                byte[] payload = target.getDocument(Digest.parse(layer.path("digest").asText()), layer.path("size").asLong(-1));
                List<byte[]> certificates = new ArrayList<>(Certificates.fromPem(annotations.path(CERTIFICATE).asText("")));
                if (!certificates.isEmpty()) {
                    certificates.addAll(Certificates.fromPem(annotations.path(CHAIN).asText("")));
                }
                Optional<LogEntry> entry = annotations.has(LogEntry.COSIGN_ANNOTATION)
                        ? Optional.of(LogEntry.fromCosign(annotations.path(LogEntry.COSIGN_ANNOTATION).asText())) : Optional.empty();
                out.add(new Signature(payload, Base64.getDecoder().decode(signature), certificates, entry));
            } catch (IllegalArgumentException e) {
                throw new IOException(target + ":" + tag(subject) + ": a signature layer that cannot be read: " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** The layer annotation holding a keyless signature's certificate (PEM). */
    public static final String CERTIFICATE = "dev.sigstore.cosign/certificate";
    /** The layer annotation holding the rest of its chain, intermediates then root (PEM, concatenated). */
    public static final String CHAIN = "dev.sigstore.cosign/chain";

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

    /**
     * Writes the signature manifest: each payload as a blob, a config as cosign writes one (its
     * rootfs naming the payloads), the manifest by digest, the {@code .sig} tag, and the entry in
     * the subject's referrers.
     */
    private static void put(ImageTarget target, Descriptor subject, List<Signature> layers) throws IOException {
        ArrayNode layerNodes = JSON.createArrayNode();
        ArrayNode diffIds = JSON.createArrayNode();
        for (Signature layer : layers) {
            byte[] payload = layer.payload();
            Digest digest = putBlob(target, payload);
            ObjectNode node = layerNodes.addObject();
            node.put("mediaType", SimpleSigning.MEDIA_TYPE);
            node.put("digest", digest.toString());
            node.put("size", payload.length);
            ObjectNode annotations = node.putObject("annotations");
            annotations.put(ANNOTATION, Base64.getEncoder().encodeToString(layer.signature()));
            if (layer.keyless()) { // as cosign sign writes a keyless signature: the leaf, the rest of the chain, the Rekor entry
                annotations.put(CERTIFICATE, Certificates.toPem(layer.certificates().subList(0, 1)));
                annotations.put(CHAIN, Certificates.toPem(layer.certificates().subList(1, layer.certificates().size())));
                layer.entry().ifPresent(e -> annotations.put(LogEntry.COSIGN_ANNOTATION, e.toCosign()));
            }
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
