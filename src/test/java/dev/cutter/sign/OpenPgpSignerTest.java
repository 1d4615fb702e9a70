package dev.cutter.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(Keys.Resolver.class)
class OpenPgpSignerTest {
    private static final Instant SIGNED_AT = Instant.parse("2030-06-01T12:34:56Z");
    private static final Clock CLOCK = Clock.fixed(SIGNED_AT.plusMillis(789), ZoneOffset.UTC);
    private static final String RELEASE = """
            Origin: Example
            Label: Example
            Suite: stable
            Date: Sat, 01 Jun 2030 12:34:56 UTC
            SHA256:
             e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 0 main/binary-amd64/Packages
            """;

    private static Keys keys;
    private static OpenPgpKey rsa;
    private static OpenPgpKey ed25519;

    @BeforeAll
    static void readKeys(Keys generated) {
        keys = generated;
        rsa = keys.rsa.read();
        ed25519 = keys.ed25519.read();
    }

    @Test
    void detachedRsaSignatureIsGoodForGpgAndGpgv() throws IOException {
        assertGoodDetachedSignature(rsa, keys.rsa, "rsa");
    }

    @Test
    void detachedEd25519SignatureIsGoodForGpgAndGpgv() throws IOException {
        assertGoodDetachedSignature(ed25519, keys.ed25519, "ed25519");
    }

    private void assertGoodDetachedSignature(OpenPgpKey key, Keys.Key generated, String name) throws IOException {
        byte[] data = binaryData(300_000);
        Path file = keys.gpg.write(name + ".bin", data);
        Path signature = keys.gpg.file(name + ".bin.asc");
        try (InputStream in = Files.newInputStream(file); var out = Files.newOutputStream(signature)) {
            new OpenPgpSigner(key, CLOCK).detach(in, out);
        }

        GnuPg.Result gpg = keys.gpg.gpg("--status-fd", "1", "--verify", signature.toString(), file.toString());
        assertThat(gpg.exit()).as(gpg.all()).isZero();
        assertThat(gpg.stderr()).contains("Good signature from");
        // VALIDSIG <signing key> <date> <time> <expiry> <version> <reserved> <algorithm> <hash> <class> <primary>
        List<String> validsig = gpg.status("VALIDSIG");
        assertThat(validsig).as(gpg.all()).hasSize(10);
        assertThat(validsig.get(0)).isEqualTo(generated.signingFingerprint());
        assertThat(validsig.get(2)).isEqualTo(String.valueOf(SIGNED_AT.getEpochSecond()));
        assertThat(validsig.get(7)).as("hash algorithm SHA-256").isEqualTo("8");
        assertThat(validsig.get(8)).as("signature class: binary document").isEqualTo("00");
        assertThat(validsig.get(9)).isEqualTo(generated.fingerprint());

        Path keyring = keys.gpg.write(name + "-pub.gpg", keys.gpg.exportPublicKey(generated.fingerprint(), false));
        GnuPg.Result gpgv = keys.gpg.gpgv("--keyring", keyring.toString(), signature.toString(), file.toString());
        assertThat(gpgv.exit()).as(gpgv.all()).isZero();
        assertThat(gpgv.stderr()).contains("Good signature");
    }

    @Test
    void tamperingWithOneByteMakesGpgAndTheVerifierRefuseTheSignature() throws IOException {
        byte[] data = binaryData(100_000);
        ByteArrayOutputStream signature = new ByteArrayOutputStream();
        new OpenPgpSigner(rsa, CLOCK).detach(new ByteArrayInputStream(data), signature);
        byte[] tampered = data.clone();
        tampered[54_321] ^= 0x01;
        Path file = keys.gpg.write("tampered.bin", tampered);
        Path asc = keys.gpg.write("tampered.bin.asc", signature.toByteArray());

        GnuPg.Result gpg = keys.gpg.gpg("--verify", asc.toString(), file.toString());
        OpenPgpVerifier.Verification verification = OpenPgpVerifier.verifyDetached(keys.rsa.publicKey(),
                new ByteArrayInputStream(tampered), new ByteArrayInputStream(signature.toByteArray()));

        assertThat(gpg.exit()).as(gpg.all()).isNotZero();
        assertThat(gpg.stderr()).contains("BAD signature");
        assertThat(verification.valid()).isFalse();
        assertThat(verification.keyFingerprint()).isEqualTo(keys.rsa.fingerprint());
        assertThat(verification.message()).startsWith("BAD signature from " + keys.rsa.fingerprint());
        assertThat(OpenPgpVerifier.verifyDetached(keys.rsa.publicKey(), new ByteArrayInputStream(data),
                new ByteArrayInputStream(signature.toByteArray())).valid()).as("the untampered data").isTrue();
    }

    @Test
    void fixedClockMakesTheSignatureReproducible() throws IOException {
        byte[] data = binaryData(10_000);

        for (OpenPgpKey key : List.of(rsa, ed25519)) {
            ByteArrayOutputStream first = new ByteArrayOutputStream();
            ByteArrayOutputStream second = new ByteArrayOutputStream();
            new OpenPgpSigner(key, CLOCK).detach(new ByteArrayInputStream(data), first);
            new OpenPgpSigner(key, CLOCK).detach(new ByteArrayInputStream(data), second);
            ByteArrayOutputStream later = new ByteArrayOutputStream();
            new OpenPgpSigner(key, Clock.offset(CLOCK, Duration.ofSeconds(1)))
                    .detach(new ByteArrayInputStream(data), later);

            assertThat(second.toByteArray()).as(key.toString()).isEqualTo(first.toByteArray());
            assertThat(later.toByteArray()).as(key.toString()).isNotEqualTo(first.toByteArray());
        }
    }

    @Test
    void signatureIsArmoredAsGpgWritesIt() throws IOException {
        ByteArrayOutputStream signature = new ByteArrayOutputStream();
        new OpenPgpSigner(ed25519, CLOCK).detach(new ByteArrayInputStream(new byte[0]), signature);

        String text = signature.toString(StandardCharsets.US_ASCII);
        assertThat(text).startsWith("-----BEGIN PGP SIGNATURE-----\n\n")
                .endsWith("\n-----END PGP SIGNATURE-----\n")
                .doesNotContain("\r").doesNotContain("Version:")
                .containsPattern("\n=[A-Za-z0-9+/]{4}\n");
        assertThat(text.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(64));
    }

    @Test
    void signingBeforeTheKeyExistedIsRefused() {
        Clock past = Clock.fixed(Instant.parse("2001-01-01T00:00:00Z"), ZoneOffset.UTC);

        assertThatThrownBy(() -> new OpenPgpSigner(rsa, past).detach(new ByteArrayInputStream(new byte[1]),
                new ByteArrayOutputStream()))
                .isInstanceOf(SigningException.class)
                .hasMessageContaining("cannot sign at 2001-01-01T00:00:00Z")
                .hasMessageContaining("check the clock");
    }

    @Test
    void clearsignedTextIsGoodForGpgAndGpgDecryptGivesTheTextBack() throws IOException {
        String text = """
                Origin: Example
                - a line that starts with a dash
                -----BEGIN PGP SIGNATURE-----
                --
                trailing spaces   \n\
                trailing tab\t
                  indented  value
                \t \n\

                From the last paragraph
                """;
        String expected = text.lines().map(line -> line.stripTrailing()).reduce("", (a, b) -> a + b + "\n");

        for (Map.Entry<Keys.Key, OpenPgpKey> pair : List.of(Map.entry(keys.rsa, rsa), Map.entry(keys.ed25519, ed25519))) {
            Keys.Key key = pair.getKey();
            OpenPgpKey signing = pair.getValue();
            Path signed = keys.gpg.file("InRelease-" + signing.keyId());
            try (var out = Files.newOutputStream(signed)) {
                new OpenPgpSigner(signing, CLOCK).clearsign(
                        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), out);
            }

            GnuPg.Result verify = keys.gpg.gpg("--status-fd", "1", "--verify", signed.toString());
            assertThat(verify.exit()).as(verify.all()).isZero();
            assertThat(verify.stderr()).contains("Good signature from");
            assertThat(verify.status("VALIDSIG").get(8)).as("signature class: canonical text").isEqualTo("01");
            Path recovered = keys.gpg.file("recovered-" + signing.keyId());
            keys.gpg.gpgOk("--output", recovered.toString(), "--decrypt", signed.toString());
            assertThat(Files.readString(recovered)).isEqualTo(expected);
            Path keyring = keys.gpg.write("clear-pub-" + signing.keyId() + ".gpg",
                    keys.gpg.exportPublicKey(key.fingerprint(), false));
            GnuPg.Result gpgv = keys.gpg.gpgv("--keyring", keyring.toString(), signed.toString());
            assertThat(gpgv.exit()).as(gpgv.all()).isZero();
        }
    }

    @Test
    void clearsignDashEscapesLinesAndWritesOnlyWhatItSigns() throws IOException {
        String text = "Origin: Example  \r\n-dash\r\n\tindented\t\r\n \t\n-----BEGIN PGP SIGNATURE-----\nlast";

        String signed = clearsign(ed25519, text);

        assertThat(signed).startsWith("""
                -----BEGIN PGP SIGNED MESSAGE-----
                Hash: SHA256

                Origin: Example
                - -dash
                \tindented

                - -----BEGIN PGP SIGNATURE-----
                last
                -----BEGIN PGP SIGNATURE-----

                """).endsWith("-----END PGP SIGNATURE-----\n").doesNotContain("\r");
    }

    @Test
    void aFinalNewlineBelongsToTheFrameworkSoTextWithAndWithoutOneSignAlike() throws IOException {
        assertThat(clearsign(rsa, "Suite: stable\n")).isEqualTo(clearsign(rsa, "Suite: stable"));
        assertThat(clearsign(rsa, "Suite: stable\r\n")).isEqualTo(clearsign(rsa, "Suite: stable"));
    }

    @Test
    void clearsignRefusesACarriageReturnInsideALine() {
        assertThatThrownBy(() -> clearsign(rsa, "one\rtwo\n"))
                .isInstanceOf(SigningException.class)
                .hasMessageContaining("line 1 holds a carriage return that does not end the line");
    }

    @Test
    void clearsignedReleaseIsVerifiedByTheVerifierAndATamperedOneIsNot() throws IOException {
        String signed = clearsign(ed25519, RELEASE);

        OpenPgpVerifier.Verification good = OpenPgpVerifier.verifyClearsigned(keys.ed25519.publicKey(),
                new ByteArrayInputStream(signed.getBytes(StandardCharsets.UTF_8)));
        OpenPgpVerifier.Verification bad = OpenPgpVerifier.verifyClearsigned(keys.ed25519.publicKey(),
                new ByteArrayInputStream(signed.replace("Suite: stable", "Suite: stabl3").getBytes(StandardCharsets.UTF_8)));

        assertThat(good.valid()).as(good.message()).isTrue();
        assertThat(good.keyFingerprint()).isEqualTo(ed25519.fingerprint());
        assertThat(bad.valid()).isFalse();
        assertThat(bad.message()).startsWith("BAD signature");
    }

    private static String clearsign(OpenPgpKey key, String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new OpenPgpSigner(key, CLOCK).clearsign(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static byte[] binaryData(int size) {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (i * 31 + (i >> 8));
        }
        Arrays.fill(data, 0, Math.min(size, 16), (byte) 0x0A);
        return data;
    }
}
