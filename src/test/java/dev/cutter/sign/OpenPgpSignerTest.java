package dev.cutter.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutter.testing.Tools;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signatures Cutter makes, checked by GnuPG itself (gpg --verify, gpgv). */
class OpenPgpSignerTest {
    @TempDir
    static Path home;

    static Path gnupg;
    static String rsaSecret;
    static String edSecret;
    static String rsaPublic;

    record Run(int exit, String out) {}

    static Run gpg(Path cwd, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("gpg", "--homedir", gnupg.toString(), "--batch", "--pinentry-mode", "loopback"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return new Run(p.exitValue(), out);
    }

    @BeforeAll
    static void keys() throws Exception {
        Tools.require("gpg", "gnupg");
        Tools.require("gpgv", "gpgv");
        gnupg = Files.createDirectories(home.resolve("gnupg"));
        Files.setPosixFilePermissions(gnupg, PosixFilePermissions.fromString("rwx------"));
        assertThat(gpg(home, "--passphrase", "correct horse", "--quick-gen-key", "RSA Signer <rsa@example.invalid>", "rsa3072", "sign", "never").exit()).isZero();
        assertThat(gpg(home, "--passphrase", "", "--quick-gen-key", "Ed Signer <ed@example.invalid>", "ed25519", "sign", "never").exit()).isZero();
        rsaSecret = gpg(home, "--passphrase", "correct horse", "--armor", "--export-secret-keys", "rsa@example.invalid").out();
        edSecret = gpg(home, "--passphrase", "", "--armor", "--export-secret-keys", "ed@example.invalid").out();
        rsaPublic = gpg(home, "--armor", "--export", "rsa@example.invalid").out();
    }

    static OpenPgpKey key(String armored, String passphrase) throws Exception {
        return OpenPgpKey.read(new ByteArrayInputStream(armored.getBytes(StandardCharsets.UTF_8)), passphrase.toCharArray());
    }

    static byte[] sign(OpenPgpSigner signer, byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        signer.detach(new ByteArrayInputStream(data), out);
        return out.toByteArray();
    }

    @Test
    void gpgAcceptsADetachedSignatureFromAnRsaKeyWithAPassphrase() throws Exception {
        Path file = Files.writeString(home.resolve("SHA256SUMS"), "abc  kontain.tar.gz\n");
        Files.write(home.resolve("SHA256SUMS.asc"), sign(new OpenPgpSigner(key(rsaSecret, "correct horse")), Files.readAllBytes(file)));

        Run verify = gpg(home, "--verify", "SHA256SUMS.asc", "SHA256SUMS");

        assertThat(verify.exit()).as(verify.out()).isZero();
        assertThat(verify.out()).contains("Good signature from \"RSA Signer <rsa@example.invalid>\"");
    }

    @Test
    void gpgvAcceptsAnEd25519SignatureAndATamperedFileFails() throws Exception {
        OpenPgpKey ed = key(edSecret, "");
        Path file = Files.writeString(home.resolve("Release"), "Origin: demo\n");
        Files.write(home.resolve("Release.gpg"), sign(new OpenPgpSigner(ed), Files.readAllBytes(file)));
        Path keyring = home.resolve("ed.gpg");
        try (OutputStream out = Files.newOutputStream(keyring)) {
            Process p = new ProcessBuilder("gpg", "--dearmor").start();
            try (OutputStream in = p.getOutputStream()) {
                ed.exportPublicKey(in);
            }
            p.getInputStream().transferTo(out);
            p.waitFor();
        }

        Process good = new ProcessBuilder("gpgv", "--keyring", keyring.toString(), "Release.gpg", "Release").directory(home.toFile())
                .redirectErrorStream(true).start();
        assertThat(good.waitFor()).as(new String(good.getInputStream().readAllBytes())).isZero();
        Files.writeString(file, "Origin: evil\n");
        Process bad = new ProcessBuilder("gpgv", "--keyring", keyring.toString(), "Release.gpg", "Release").directory(home.toFile())
                .redirectErrorStream(true).start();
        assertThat(bad.waitFor()).isNotZero();
        try (InputStream pub = publicKey(ed); InputStream data = Files.newInputStream(file);
                InputStream sig = Files.newInputStream(home.resolve("Release.gpg"))) {
            assertThat(OpenPgpVerifier.verifyDetached(pub, data, sig).valid()).isFalse();
        }
    }

    static InputStream publicKey(OpenPgpKey key) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        key.exportPublicKey(out);
        return new ByteArrayInputStream(out.toByteArray());
    }

    @Test
    void aClearsignedTextIsAcceptedByGpgAndRecoveredExactly() throws Exception {
        String text = "Origin: demo\n-----BEGIN looks like armour\n- dash line\ntrailing spaces   \nSHA256:\n abc 12 main/binary-amd64/Packages\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new OpenPgpSigner(key(rsaSecret, "correct horse")).clearsign(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), out);
        Files.write(home.resolve("InRelease"), out.toByteArray());

        Run verify = gpg(home, "--verify", "InRelease");
        Run decrypt = gpg(home, "--output", "-", "--decrypt", "InRelease");

        assertThat(verify.exit()).as(verify.out()).isZero();
        assertThat(decrypt.out()).contains("Origin: demo\n-----BEGIN looks like armour\n- dash line\n");
        assertThat(new String(out.toByteArray(), StandardCharsets.UTF_8)).contains("\n- -----BEGIN looks like armour\n");
        try (InputStream pub = new ByteArrayInputStream(rsaPublic.getBytes(StandardCharsets.UTF_8))) {
            assertThat(OpenPgpVerifier.verifyClearsigned(pub, new ByteArrayInputStream(out.toByteArray())).valid()).isTrue();
        }
    }

    @Test
    void aFixedClockGivesTheSameSignatureBytes() throws Exception {
        Clock fixed = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
        byte[] data = "same data".getBytes(StandardCharsets.UTF_8);

        byte[] first = sign(new OpenPgpSigner(key(edSecret, ""), fixed), data);
        byte[] second = sign(new OpenPgpSigner(key(edSecret, ""), fixed), data);

        assertThat(first).isEqualTo(second);
        assertThat(new String(first, StandardCharsets.US_ASCII)).startsWith("-----BEGIN PGP SIGNATURE-----\n").doesNotContain("Version:");
    }

    @Test
    void aWrongPassphraseIsAClearErrorThatDoesNotRepeatIt() {
        assertThatThrownBy(() -> key(rsaSecret, "tr0ub4dor-guess")).isInstanceOf(SigningException.class)
                .hasMessageContaining("wrong or missing passphrase").hasMessageNotContaining("tr0ub4dor");
    }

    @Test
    void aPublicKeyGivenAsTheSigningKeyIsRefused() {
        assertThatThrownBy(() -> key(rsaPublic, "")).isInstanceOf(SigningException.class)
                .hasMessageContaining("not an OpenPGP secret key").hasMessageContaining("--export-secret-keys");
    }

    @Test
    void theKeyNamesItsFingerprintAndUser() throws Exception {
        OpenPgpKey rsa = key(rsaSecret, "correct horse");
        String listing = gpg(home, "--with-colons", "--fingerprint", "rsa@example.invalid").out();

        assertThat(listing).contains(rsa.fingerprint());
        assertThat(rsa.userId()).isEqualTo("RSA Signer <rsa@example.invalid>");
        assertThat(rsa.toString()).doesNotContain("PRIVATE");
    }
}
