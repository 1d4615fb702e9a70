package dev.cutter.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(Keys.Resolver.class)
class OpenPgpKeyTest {
    private static Keys keys;

    @BeforeAll
    static void generateKeys(Keys generated) {
        keys = generated;
    }

    @Test
    void readsAnArmoredRsaKeyWithItsPassphraseAndNamesItAsGpgDoes() {
        OpenPgpKey key = keys.rsa.read();

        assertThat(key.fingerprint()).isEqualTo(keys.rsa.fingerprint()).matches("[0-9A-F]{40}");
        assertThat(key.keyId()).isEqualTo(keys.rsa.fingerprint().substring(24));
        assertThat(key.userId()).isEqualTo("Cutter RSA Test <rsa@example.org>");
        assertThat(key.signingFingerprint()).isEqualTo(keys.rsa.fingerprint());
    }

    @Test
    void signsWithTheSigningSubkeyRatherThanAPrimaryThatMaySignToo() {
        OpenPgpKey key = keys.ed25519.read();

        assertThat(key.fingerprint()).isEqualTo(keys.ed25519.fingerprint());
        assertThat(key.signingFingerprint()).isEqualTo(keys.ed25519.signingFingerprint())
                .isNotEqualTo(keys.ed25519.fingerprint());
        assertThat(key.signingKeyId()).isEqualTo(keys.ed25519.signingFingerprint().substring(24));
    }

    @Test
    void readsABinaryExportAsWellAsAnArmoredOne() {
        byte[] binary = keys.gpg.exportSecretKey(keys.ed25519.fingerprint(), "", false);

        OpenPgpKey key = OpenPgpKey.read(new ByteArrayInputStream(binary), new char[0]);

        assertThat(binary[0] & 0x80).as("binary packets, not armor").isNotZero();
        assertThat(key.signingFingerprint()).isEqualTo(keys.ed25519.signingFingerprint());
    }

    @Test
    void skipsAnExpiredSigningSubkeyAndSignsWithThePrimary() {
        OpenPgpKey key = keys.expiredSubkey.read();

        assertThat(key.signingFingerprint()).isEqualTo(keys.expiredSubkey.fingerprint());
    }

    @Test
    void wrongPassphraseIsReportedWithoutRevealingIt() {
        String wrong = "not-the-" + Keys.RSA_PASSPHRASE;

        SigningException error = catchThrowableOfType(SigningException.class,
                () -> OpenPgpKey.read(keys.rsa.secretKey(), wrong.toCharArray()));

        assertThat(error).hasMessageContaining("wrong passphrase").hasMessageContaining(keys.rsa.fingerprint())
                .hasNoCause();
        assertThat(error.getMessage()).doesNotContain(wrong).doesNotContain(Keys.RSA_PASSPHRASE);
        assertThat(error.toString()).doesNotContain(wrong).doesNotContain(Keys.RSA_PASSPHRASE);
    }

    @Test
    void missingPassphraseForAProtectedKeySaysOneIsNeeded() {
        assertThatThrownBy(() -> OpenPgpKey.read(keys.rsa.secretKey(), new char[0]))
                .isInstanceOf(SigningException.class)
                .hasMessageContaining("is protected by a passphrase, but none was given")
                .hasMessageContaining(keys.rsa.fingerprint());
    }

    @Test
    void leavesThePassphraseArrayToTheCaller() {
        char[] passphrase = keys.rsa.passphraseChars();

        OpenPgpKey.read(keys.rsa.secretKey(), passphrase);

        assertThat(new String(passphrase)).isEqualTo(Keys.RSA_PASSPHRASE);
    }

    @Test
    void publicKeyGivenAsTheSigningKeyIsRefusedWithTheCommandThatExportsTheSecretOne() {
        assertThatThrownBy(() -> OpenPgpKey.read(keys.rsa.publicKey(), keys.rsa.passphraseChars()))
                .isInstanceOf(SigningException.class)
                .hasMessage("the signing key is a public key (" + keys.rsa.fingerprint()
                        + " \"Cutter RSA Test <rsa@example.org>\"), which cannot sign; export the secret key with"
                        + " `gpg --export-secret-keys --armor " + keys.rsa.fingerprint() + "`");
    }

    @Test
    void keyThatMayNotSignIsRefusedWithTheReasonForEachOfItsKeys() {
        assertThatThrownBy(() -> keys.certifyOnly.read())
                .isInstanceOf(SigningException.class)
                .hasMessageContaining("has no key that can sign")
                .hasMessageContaining("primary key " + keys.certifyOnly.fingerprint().substring(24)
                        + " may not sign (usage: certify)")
                .hasMessageContaining("is an ECDH key, which cannot sign")
                .hasMessageContaining("gpg --quick-add-key " + keys.certifyOnly.fingerprint() + " ed25519 sign");
    }

    @Test
    void expiredKeyIsRefusedWithHowToExtendIt() {
        assertThatThrownBy(() -> keys.expired.read())
                .isInstanceOf(SigningException.class)
                .hasMessageContaining(keys.expired.fingerprint() + " \"Cutter Expired <expired@example.org>\" expired on"
                        + " 2020-01-02T00:00:00Z")
                .hasMessageContaining("gpg --quick-set-expire " + keys.expired.fingerprint());
    }

    @Test
    void revokedKeyIsRefused() {
        assertThatThrownBy(() -> keys.revoked.read())
                .isInstanceOf(SigningException.class)
                .hasMessageContaining(keys.revoked.fingerprint() + " \"Cutter Revoked <revoked@example.org>\" is revoked;"
                        + " sign with another key");
    }

    @Test
    void inputThatIsNoKeyIsRefusedWithoutEchoingIt() {
        String secretLookingText = "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG\n";

        SigningException error = catchThrowableOfType(SigningException.class, () -> OpenPgpKey.read(
                new ByteArrayInputStream(secretLookingText.getBytes(StandardCharsets.UTF_8)), new char[0]));

        assertThat(error).hasMessageStartingWith("cannot read the signing key: it is not an OpenPGP secret key");
        assertThat(error.getMessage()).doesNotContain("wJalrXUtnFEMI");
    }

    @Test
    void exportOfSeveralSecretKeysIsRefusedBecauseTheSignerWouldBeAGuess() {
        byte[] both = keys.gpg.gpgOk("--passphrase", Keys.RSA_PASSPHRASE, "--export-secret-keys",
                keys.rsa.fingerprint(), keys.expiredSubkey.fingerprint()).stdout();

        assertThatThrownBy(() -> OpenPgpKey.read(new ByteArrayInputStream(both), keys.rsa.passphraseChars()))
                .isInstanceOf(SigningException.class)
                .hasMessageContaining("contains 2 secret keys")
                .hasMessageContaining(keys.rsa.fingerprint())
                .hasMessageContaining(keys.expiredSubkey.fingerprint());
    }

    @Test
    void toStringNamesTheKeyAndNothingSecret() {
        OpenPgpKey key = keys.rsa.read();

        assertThat(key).hasToString("OpenPgpKey[" + keys.rsa.fingerprint()
                + " \"Cutter RSA Test <rsa@example.org>\", signs with RSA key " + key.signingKeyId() + "]");
    }

    @Test
    void exportedPublicKeyImportsIntoAFreshGpgHomeAndVerifiesASignature(@TempDir Path temp) throws IOException {
        OpenPgpKey key = keys.ed25519.read();
        ByteArrayOutputStream publicKey = new ByteArrayOutputStream();
        key.exportPublicKey(publicKey);
        byte[] data = "a release asset\n".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream signature = new ByteArrayOutputStream();
        new OpenPgpSigner(key).detach(new ByteArrayInputStream(data), signature);

        try (GnuPg fresh = GnuPg.in(temp.resolve("gnupg"))) {
            fresh.importKey(fresh.write("key.asc", publicKey.toByteArray()));
            Path file = fresh.write("asset", data);
            fresh.write("asset.asc", signature.toByteArray());

            assertThat(fresh.gpgOk("--with-colons", "--list-secret-keys").out()).doesNotContain("sec:");
            GnuPg.Result verify = fresh.gpg("--status-fd", "1", "--verify", file + ".asc", file.toString());
            assertThat(verify.exit()).as(verify.all()).isZero();
            assertThat(verify.stderr()).contains("Good signature from \"Cutter Ed25519 Test <ed25519@example.org>\"");
            assertThat(verify.status("VALIDSIG")).as(verify.all())
                    .startsWith(keys.ed25519.signingFingerprint()).endsWith(keys.ed25519.fingerprint());
        }
        assertThat(publicKey.toString(StandardCharsets.US_ASCII))
                .startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n")
                .endsWith("\n-----END PGP PUBLIC KEY BLOCK-----\n")
                .doesNotContain("\r");
    }

    @Test
    void binaryPublicKeyIsAKeyringForGpgv(@TempDir Path temp) throws IOException {
        OpenPgpKey key = keys.rsa.read();
        Path keyring = temp.resolve("pub.gpg");
        try (var out = Files.newOutputStream(keyring)) {
            key.exportPublicKeyBinary(out);
        }
        byte[] data = "Origin: Example\n".getBytes(StandardCharsets.UTF_8);
        Path file = Files.write(temp.resolve("Release"), data);
        try (var out = Files.newOutputStream(temp.resolve("Release.gpg"))) {
            new OpenPgpSigner(key).detach(new ByteArrayInputStream(data), out);
        }

        GnuPg.Result verify = keys.gpg.gpgv("--keyring", keyring.toString(), temp.resolve("Release.gpg").toString(),
                file.toString());

        assertThat(verify.exit()).as(verify.all()).isZero();
        assertThat(verify.stderr()).contains("Good signature");
    }
}
