package dev.cutter.sigstore;

import dev.cutter.attest.EnvelopeSigner;
import dev.cutter.sign.OpenPgpKey;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;

/** The keys signatures are tested with: the example's OpenPGP release key (Ed25519), and ECDSA P-256 and RSA pairs. */
final class TestKeys {
    private TestKeys() {}

    static EnvelopeSigner release() throws Exception {
        try (InputStream in = Files.newInputStream(Path.of("examples/km/keys/release-key.asc"))) {
            OpenPgpKey key = OpenPgpKey.read(in, new char[0]);
            return EnvelopeSigner.of(key.fingerprint(), key.keyPair());
        }
    }

    static EnvelopeSigner ecdsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return EnvelopeSigner.of("ecdsa", generator.generateKeyPair());
    }

    static EnvelopeSigner rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return EnvelopeSigner.of("rsa", generator.generateKeyPair());
    }

    static List<EnvelopeSigner> all() throws Exception {
        return List.of(release(), ecdsa(), rsa());
    }
}
