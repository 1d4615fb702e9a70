package dev.cutter.sigstore;

import dev.cutter.content.Digest;
import dev.cutter.oci.Descriptor;
import dev.cutter.oci.ImageTarget;
import dev.cutter.oci.ManifestContent;
import dev.cutter.oci.RegistryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The signatures of what a release published, checked against its public key: an image's cosign
 * signatures (the index and each platform manifest, as the attest job signs them, read from the
 * {@code sha256-<hex>.sig} tag of the repository that holds it) and a file's Sigstore bundle
 * ({@code FILE.sigstore.json} beside it). Each fault is one problem naming what and where: no
 * signature, one by another key, one whose payload names another digest, a bundle of another file.
 * What {@code check: attestations} and {@code cutter verify} ask.
 */
public final class SignatureCheck {
    private SignatureCheck() {}

    /** Whom the signatures must be by: the release key, or (keyless) an identity certified under a trusted root. */
    public sealed interface Trust {
        /** The release key's (or {@code cutter verify --key}'s) signatures. */
        record Key(PublicKey key) implements Trust {}

        /** Keyless signatures by the identity {@code verifier} expects, under its trusted root. */
        record Keyless(KeylessVerifier verifier) implements Trust {}
    }

    /** {@link #image(ImageTarget, String, Digest, Trust)} against a key. */
    public static Findings image(ImageTarget target, String where, Digest index, PublicKey key) throws IOException {
        return image(target, where, index, new Trust.Key(key));
    }

    /** {@link #file(Path, String, Trust)} against a key. */
    public static Optional<String> file(Path file, String shown, PublicKey key) throws IOException {
        return file(file, shown, new Trust.Key(key));
    }

    /**
     * The problems with the cosign signatures of the index {@code index} and each platform
     * manifest it lists, in {@code target} ({@code where}, the repository as problems name it).
     * An index the repository lacks or that cannot be read is left to the check of its
     * attestations, which names it.
     */
    public static Findings image(ImageTarget target, String where, Digest index, Trust trust) throws IOException {
        Optional<byte[]> bytes = target.getManifest(index);
        if (bytes.isEmpty()) {
            return new Findings(List.of(), 0);
        }
        Map<String, Digest> platforms = new LinkedHashMap<>();
        try {
            for (Descriptor manifest : ManifestContent.parse(bytes.get(), "", where + "@" + index).manifests()) {
                // the images, as the attest job signs them; buildx's attestation entries name the platform unknown/unknown
                manifest.platform().filter(p -> !p.os().equals("unknown"))
                        .ifPresent(p -> platforms.put(p.toString(), manifest.digest()));
            }
        } catch (RegistryException | IllegalArgumentException e) {
            return new Findings(List.of(), 0);
        }
        List<String> problems = new ArrayList<>();
        manifest(target, index, trust, where + "@" + index, problems);
        for (var platform : platforms.entrySet()) {
            manifest(target, platform.getValue(), trust, where + "@" + platform.getValue() + " (" + platform.getKey() + ")", problems);
        }
        return new Findings(problems, 1 + platforms.size());
    }

    /** What {@link #image} found: its problems, and how many manifests (the index included) it checked. */
    public record Findings(List<String> problems, int manifests) {
        public Findings {
            problems = List.copyOf(problems);
        }
    }

    /** The cosign signature of one manifest: made as {@code trust} says, over a payload naming {@code subject}. */
    static void manifest(ImageTarget target, Digest subject, Trust trust, String where, List<String> problems) throws IOException {
        String tag = CosignSignatures.tag(subject);
        List<CosignSignatures.Signature> found;
        try {
            found = CosignSignatures.read(target, subject);
        } catch (RegistryException e) {
            throw e;
        } catch (IOException | IllegalArgumentException e) {
            problems.add(where + ": its cosign signature (tag " + tag + ") cannot be read: " + e.getMessage());
            return;
        }
        if (found.isEmpty()) {
            problems.add(where + " has no cosign signature (tag " + tag + ")");
            return;
        }
        List<String> why = new ArrayList<>();
        for (CosignSignatures.Signature signature : found) {
            String names;
            try {
                names = SimpleSigning.parse(signature.payload()).manifestDigest().toString();
            } catch (IllegalArgumentException e) {
                why.add("one whose payload is unreadable (" + e.getMessage() + ")");
                continue;
            }
            Optional<String> refusal = refusal(signature, trust);
            if (refusal.isEmpty() && names.equals(subject.toString())) {
                return;
            }
            String signer = trust instanceof Trust.Key ? "the release key" : "the expected identity";
            if (refusal.isEmpty()) {
                why.add("one by " + signer + " whose payload signs docker-manifest-digest " + names + ", not this manifest");
            } else if (!names.equals(subject.toString())) {
                why.add("one that " + refusal.get() + ", whose payload names docker-manifest-digest " + names);
            } else {
                why.add("one that " + refusal.get());
            }
        }
        problems.add(where + ": no cosign signature by " + (trust instanceof Trust.Keyless k ? "the identity " + k.verifier().expected()
                : "the release key") + " of this manifest (tag " + tag + " holds " + String.join("; ", why) + ")");
    }

    /** Why {@code signature} is not one {@code trust} accepts (over its own payload); empty when it is. */
    private static Optional<String> refusal(CosignSignatures.Signature signature, Trust trust) throws IOException {
        return switch (trust) {
            case Trust.Key k -> signature.by(k.key()) ? Optional.empty() : Optional.of("does not verify against the release key");
            case Trust.Keyless k -> signature.keylessRefusal(k.verifier()).map(why -> "is refused: " + why);
        };
    }

    /**
     * The problem with {@code file}'s Sigstore bundle ({@code FILE.sigstore.json} beside it),
     * named as {@code shown} (the file as the project sees it), or none when {@code key} signed
     * exactly this file.
     */
    public static Optional<String> file(Path file, String shown, Trust trust) throws IOException {
        Path path = file.resolveSibling(file.getFileName() + SigstoreBundle.SUFFIX);
        String bundleShown = shown + SigstoreBundle.SUFFIX;
        if (!Files.isRegularFile(path)) {
            return Optional.of(bundleShown + " is missing: " + file.getFileName() + " has no Sigstore bundle");
        }
        SigstoreBundle bundle;
        try {
            bundle = SigstoreBundle.parse(Files.readAllBytes(path));
        } catch (IllegalArgumentException e) {
            return Optional.of(bundleShown + " is unreadable: " + e.getMessage());
        }
        Digest digest = Digest.sha256(file);
        if (!bundle.sha256().equals(digest)) {
            return Optional.of(bundleShown + " is a bundle of " + bundle.sha256() + ", not of " + file.getFileName() + " (" + digest + ")");
        }
        return switch (trust) {
            case Trust.Key k -> bundle.verifies(file, k.key()) ? Optional.empty()
                    : Optional.of(bundleShown + ": its signature (key " + (bundle.hint().isEmpty() ? "unnamed" : bundle.hint())
                            + ") does not verify against the release key");
            case Trust.Keyless k -> bundle.keylessRefusal(file, k.verifier())
                    .map(why -> bundleShown + " is not a keyless signature of " + file.getFileName() + " by " + k.verifier().expected()
                            + ": " + why);
        };
    }
}
