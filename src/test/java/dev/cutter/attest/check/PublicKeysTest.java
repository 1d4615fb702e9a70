package dev.cutter.attest.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutter.attest.EnvelopeSigner;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.Test;

/** The PEM public keys a release publishes, read back for verifying. */
class PublicKeysTest {
    @Test
    void readsTheKeysEnvelopesAreSignedWithAsTheReleaseWritesThem() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        for (var pair : java.util.List.of(KeyPairGenerator.getInstance("Ed25519").generateKeyPair(), ec.generateKeyPair())) {
            assertThat(PublicKeys.read(EnvelopeSigner.pem(pair.getPublic())).getEncoded()).isEqualTo(pair.getPublic().getEncoded());
        }
    }

    @Test
    void somethingElseIsToldForWhatItIs() {
        assertThatThrownBy(() -> PublicKeys.read("-----BEGIN PGP PUBLIC KEY BLOCK-----")).hasMessageContaining("no -----BEGIN PUBLIC KEY");
        assertThatThrownBy(() -> PublicKeys.read("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"))
                .hasMessageContaining("not an Ed25519, ECDSA or RSA public key");
    }
}
