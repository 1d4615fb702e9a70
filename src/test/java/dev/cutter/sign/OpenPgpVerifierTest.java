package dev.cutter.sign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.sign.OpenPgpVerifier.Verification;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(Keys.Resolver.class)
class OpenPgpVerifierTest {
    private static final String TEXT = """
            Origin: Example
            - dash at the start
            trailing blanks \t
            -----BEGIN PGP SIGNATURE-----

            Codename: stable
            """;

    private static Keys keys;

    @BeforeAll
    static void generateKeys(Keys generated) {
        keys = generated;
    }

    @Test
    void acceptsDetachedSignaturesGpgMadeArmoredAndBinary() throws IOException {
        Path data = keys.gpg.write("gpg-signed.bin", "payload\n".repeat(1000));

        for (boolean armor : new boolean[] {true, false}) {
            Path signature = keys.gpg.file("gpg-signed.bin." + (armor ? "asc" : "sig"));
            keys.gpg.gpgOk(armor ? "--armor" : "--no-armor", "--local-user", keys.ed25519.fingerprint(), "--output",
                    signature.toString(), "--detach-sign", data.toString());

            Verification verification = verifyDetached(keys.ed25519, Files.readAllBytes(data),
                    Files.readAllBytes(signature));

            assertThat(verification.valid()).as(verification.message()).isTrue();
            assertThat(verification.keyFingerprint()).isEqualTo(keys.ed25519.fingerprint());
            assertThat(verification.message()).startsWith("Good signature from " + keys.ed25519.fingerprint()
                    + " \"Cutter Ed25519 Test <ed25519@example.org>\" (subkey "
                    + keys.ed25519.signingFingerprint().substring(24) + "), made ");
        }
    }

    @Test
    void acceptsAMessageGpgClearsigned() throws IOException {
        byte[] signed = gpgClearsign(keys.rsa, TEXT);

        Verification verification = OpenPgpVerifier.verifyClearsigned(keys.rsa.publicKey(),
                new ByteArrayInputStream(signed));

        assertThat(new String(signed, StandardCharsets.UTF_8)).contains("- -----BEGIN PGP SIGNATURE-----");
        assertThat(verification.valid()).as(verification.message()).isTrue();
        assertThat(verification.keyFingerprint()).isEqualTo(keys.rsa.fingerprint());
    }

    @Test
    void refusesDataChangedAfterGpgSignedIt() throws IOException {
        byte[] data = "Version: 1.2.3\n".getBytes(StandardCharsets.UTF_8);
        Path file = keys.gpg.write("changed", data);
        keys.gpg.gpgOk("--armor", "--local-user", keys.ed25519.fingerprint(), "--detach-sign", file.toString());
        byte[] signature = Files.readAllBytes(Path.of(file + ".asc"));
        data[13] = '4';

        Verification verification = verifyDetached(keys.ed25519, data, signature);

        assertThat(verification.valid()).isFalse();
        assertThat(verification.keyFingerprint()).isEqualTo(keys.ed25519.fingerprint());
        assertThat(verification.message()).isEqualTo("BAD signature from " + keys.ed25519.fingerprint()
                + " \"Cutter Ed25519 Test <ed25519@example.org>\" (subkey "
                + keys.ed25519.signingFingerprint().substring(24) + "): the data does not match the signature");
    }

    @Test
    void refusesClearsignedTextChangedAfterSigning() throws IOException {
        String signed = new String(gpgClearsign(keys.ed25519, TEXT), StandardCharsets.UTF_8);

        Verification verification = verifyClearsigned(keys.ed25519, signed.replace("Codename: stable",
                "Codename: stab1e"));

        assertThat(verification.valid()).isFalse();
        assertThat(verification.message()).startsWith("BAD signature");
    }

    @Test
    void trailingWhitespaceAddedToClearsignedTextIsNotAChangeBecauseItIsNotSigned() throws IOException {
        String signed = new String(gpgClearsign(keys.ed25519, TEXT), StandardCharsets.UTF_8);

        Verification verification = verifyClearsigned(keys.ed25519, signed.replace("Origin: Example\n",
                "Origin: Example \t\r\n"));

        assertThat(verification.valid()).as(verification.message()).isTrue();
    }

    @Test
    void signatureByAKeyThatWasNotGivenIsInvalidAndNamesItsSigner() throws IOException {
        Path file = keys.gpg.write("other-key", "data\n");
        keys.gpg.gpgOk("--armor", "--local-user", keys.ed25519.fingerprint(), "--detach-sign", file.toString());

        Verification verification = verifyDetached(keys.rsa, Files.readAllBytes(file),
                Files.readAllBytes(Path.of(file + ".asc")));

        assertThat(verification.valid()).isFalse();
        assertThat(verification.keyFingerprint()).isNull();
        assertThat(verification.message()).isEqualTo("the signature was made by key "
                + keys.ed25519.signingFingerprint().substring(24) + ", which is not among the public keys given ("
                + keys.rsa.fingerprint() + " \"Cutter RSA Test <rsa@example.org>\"); verify with the public key of"
                + " the signer");
    }

    @Test
    void findsTheSignerInAKeyringOfSeveralKeys() throws IOException {
        byte[] keyring = keys.gpg.gpgOk("--export", keys.rsa.fingerprint(), keys.expired.fingerprint(),
                keys.ed25519.fingerprint()).stdout();
        Path file = keys.gpg.write("keyring-data", "data\n");
        keys.gpg.gpgOk("--local-user", keys.ed25519.fingerprint(), "--detach-sign", file.toString());

        Verification verification = OpenPgpVerifier.verifyDetached(new ByteArrayInputStream(keyring),
                Files.newInputStream(file), Files.newInputStream(Path.of(file + ".sig")));

        assertThat(verification.valid()).as(verification.message()).isTrue();
        assertThat(verification.keyFingerprint()).isEqualTo(keys.ed25519.fingerprint());
    }

    @Test
    void signatureByAKeyRevokedSinceDoesNotCount() throws IOException {
        Verification verification = verifyDetached(keys.revoked, keys.revokedData, keys.revokedSignature);

        assertThat(verification.valid()).isFalse();
        assertThat(verification.keyFingerprint()).isEqualTo(keys.revoked.fingerprint());
        assertThat(verification.message()).endsWith("does not count: the key is revoked");
    }

    @Test
    void signatureMadeBeforeTheKeyExpiredStaysGoodWithANote() throws IOException {
        Verification verification = verifyDetached(keys.expired, keys.expiredKeyData, keys.expiredKeySignature);

        assertThat(verification.valid()).as(verification.message()).isTrue();
        assertThat(verification.message()).contains("made 2020-01-01T12:00:00Z")
                .endsWith("; note: by now the key expired on 2020-01-02T00:00:00Z");
    }

    @Test
    void secretKeyGivenAsThePublicKeyIsRefusedWithoutReadingIt() throws IOException {
        Verification verification = OpenPgpVerifier.verifyDetached(keys.ed25519.secretKey(),
                new ByteArrayInputStream(new byte[0]), new ByteArrayInputStream(new byte[0]));

        assertThat(verification.valid()).isFalse();
        assertThat(verification.message()).startsWith("a secret key was given where the public key belongs");
    }

    @Test
    void signatureThatIsNoOpenPgpDataIsInvalid() throws IOException {
        Verification verification = verifyDetached(keys.rsa, new byte[0],
                "-----BEGIN PGP SIGNATURE-----\n\nbm90IGEgc2lnbmF0dXJl\n-----END PGP SIGNATURE-----\n"
                        .getBytes(StandardCharsets.US_ASCII));

        assertThat(verification.valid()).isFalse();
        assertThat(verification.keyFingerprint()).isNull();
        assertThat(verification.message()).startsWith("the signature ");
    }

    @Test
    void clearsignedMessageMustStartWithItsBeginLine() throws IOException {
        String signed = new String(gpgClearsign(keys.ed25519, TEXT), StandardCharsets.UTF_8);

        Verification verification = verifyClearsigned(keys.ed25519, "Origin: injected\n" + signed);

        assertThat(verification.valid()).isFalse();
        assertThat(verification.message()).isEqualTo(
                "not a cleartext-signed message: it must start with the line -----BEGIN PGP SIGNED MESSAGE-----");
    }

    @Test
    void hashHeaderMustNameTheSignaturesHash() throws IOException {
        String signed = new String(gpgClearsign(keys.ed25519, TEXT), StandardCharsets.UTF_8);
        String declared = signed.lines().filter(line -> line.startsWith("Hash: ")).findFirst().orElseThrow();

        Verification verification = verifyClearsigned(keys.ed25519, signed.replace(declared, "Hash: MD5"));

        assertThat(verification.valid()).isFalse();
        assertThat(verification.message()).startsWith("the signature uses " + declared.substring(6))
                .endsWith("but the message's Hash header declares MD5");
    }

    @Test
    void lineStartingWithADashMustBeEscaped() throws IOException {
        String signed = new String(gpgClearsign(keys.ed25519, TEXT), StandardCharsets.UTF_8);

        Verification verification = verifyClearsigned(keys.ed25519, signed.replace("- - dash", "--dash"));

        assertThat(verification.valid()).isFalse();
        assertThat(verification.message()).isEqualTo("line 2 of the signed text starts with '-' but is not"
                + " dash-escaped ('- ')");
    }

    @Test
    void verifiesWhatTheSignerMadeWithBothKeys() throws IOException {
        for (Keys.Key key : new Keys.Key[] {keys.rsa, keys.ed25519}) {
            OpenPgpSigner signer = new OpenPgpSigner(key.read());
            ByteArrayOutputStream detached = new ByteArrayOutputStream();
            ByteArrayOutputStream clearsigned = new ByteArrayOutputStream();
            signer.detach(stream(TEXT), detached);
            signer.clearsign(stream(TEXT), clearsigned);

            Verification detachedResult = verifyDetached(key, TEXT.getBytes(StandardCharsets.UTF_8),
                    detached.toByteArray());
            Verification clearsignedResult = verifyClearsigned(key, clearsigned.toString(StandardCharsets.UTF_8));

            assertThat(detachedResult.valid()).as(detachedResult.message()).isTrue();
            assertThat(clearsignedResult.valid()).as(clearsignedResult.message()).isTrue();
            assertThat(clearsignedResult.keyFingerprint()).isEqualTo(key.fingerprint());
        }
    }

    private static byte[] gpgClearsign(Keys.Key key, String text) throws IOException {
        Path file = keys.gpg.write("clear-" + key.fingerprint(), text);
        Path signed = keys.gpg.file("clear-" + key.fingerprint() + ".asc");
        Files.deleteIfExists(signed);
        keys.gpg.gpgOk("--passphrase", key.passphrase(), "--local-user", key.fingerprint(), "--output", signed.toString(),
                "--clearsign", file.toString());
        return Files.readAllBytes(signed);
    }

    private static Verification verifyDetached(Keys.Key key, byte[] data, byte[] signature) throws IOException {
        return OpenPgpVerifier.verifyDetached(key.publicKey(), new ByteArrayInputStream(data),
                new ByteArrayInputStream(signature));
    }

    private static Verification verifyClearsigned(Keys.Key key, String clearsigned) throws IOException {
        return OpenPgpVerifier.verifyClearsigned(key.publicKey(), stream(clearsigned));
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
