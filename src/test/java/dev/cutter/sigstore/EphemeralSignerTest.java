package dev.cutter.sigstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutter.http.Backoff;
import dev.cutter.http.Sender;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keyless signing against Fulcio and Rekor as npm's {@code @sigstore/mock} serves them (a fake of
 * Sigstore's public services, {@link SigstoreMock}), the bundles checked by sigstore-js's
 * {@code @sigstore/verify} with the mock's trusted root: certificate chain, SCT, log entry with
 * its inclusion proof and signed entry timestamp, signature, identity and issuer.
 */
class EphemeralSignerTest {
    static final String ISSUER = "https://token.actions.githubusercontent.com";
    static final String IDENTITY = "https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1.2.0";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dir;
    static SigstoreMock mock;
    final List<Duration> waits = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        mock = SigstoreMock.start(dir);
    }

    @AfterAll
    static void stop() {
        mock.close();
    }

    static String token(Map<String, Object> claims) throws Exception {
        return SigstoreMock.token(claims);
    }

    static String token() throws Exception {
        return token(Map.of("iss", ISSUER, "sub", IDENTITY, "aud", "sigstore", "exp", Instant.now().plusSeconds(600).getEpochSecond()));
    }

    Sender sender() {
        return new Sender(HttpClient.newHttpClient(), new Backoff(3, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(5)),
                waits::add, Clock.systemUTC());
    }

    EphemeralSigner signer(String token, URI fulcio, URI rekor) {
        return signer(token, fulcio, rekor, Duration.ofSeconds(5));
    }

    EphemeralSigner signer(String token, URI fulcio, URI rekor, Duration timeout) {
        Sender sender = sender();
        return new EphemeralSigner(() -> token, new Fulcio(fulcio, sender, timeout), new Rekor(rekor, sender, timeout),
                Clock.systemUTC());
    }

    EphemeralSigner signer() throws Exception {
        return signer(token(), mock.url, mock.url);
    }

    static Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    static Path bundle(Path file, SigstoreBundle bundle) throws Exception {
        return Files.write(file.resolveSibling(file.getFileName() + SigstoreBundle.SUFFIX), bundle.toJson());
    }

    @Test
    void aFileSignedWithAnEphemeralKeyVerifiesWithSigstoreJsForItsIdentityAndIssuer() throws Exception {
        Path file = write("app-1.2.0.tar.gz", "the release's archive\n");
        SigstoreBundle bundle = signer().sign(file);
        Path json = bundle(file, bundle);

        SigstoreMock.Verdict verdict = mock.verify(json, file, IDENTITY, ISSUER);
        assertThat(verdict.verified()).as(verdict.output()).isTrue();
        assertThat(verdict.output()).contains("signed by " + IDENTITY + " (" + ISSUER + ")");
        var read = JSON.readTree(json.toFile());
        assertThat(read.path("verificationMaterial").path("certificate").path("rawBytes").asText()).isNotEmpty();
        assertThat(read.path("verificationMaterial").path("tlogEntries").get(0).path("kindVersion").path("kind").asText())
                .isEqualTo("hashedrekord");
        SigstoreBundle parsed = SigstoreBundle.parse(Files.readAllBytes(json));
        assertThat(parsed.certificates()).hasSize(1);
        assertThat(parsed.tlogEntries()).hasSize(1);
    }

    @Test
    void aTamperedFileIsRefused() throws Exception {
        Path file = write("tampered.tar.gz", "the release's archive\n");
        Path json = bundle(file, signer().sign(file));
        Files.writeString(file, "the release's archive, changed\n");

        SigstoreMock.Verdict verdict = mock.verify(json, file, IDENTITY, ISSUER);
        assertThat(verdict.verified()).as(verdict.output()).isFalse();
        assertThat(verdict.output()).startsWith("not verified: SIGNATURE_ERROR");
    }

    @Test
    void anotherIdentityOrIssuerIsRefused() throws Exception {
        Path file = write("identity.tar.gz", "signed by the release workflow\n");
        Path json = bundle(file, signer().sign(file));

        SigstoreMock.Verdict identity = mock.verify(json, file,
                "https://github.com/acme/app/.github/workflows/other.yml@refs/heads/main", ISSUER);
        assertThat(identity.verified()).isFalse();
        assertThat(identity.output()).contains("certificate identity error");
        SigstoreMock.Verdict issuer = mock.verify(json, file, IDENTITY, "https://gitlab.com");
        assertThat(issuer.verified()).isFalse();
        assertThat(issuer.output()).contains("issuer");
    }

    @Test
    void aBundleWithoutItsLogEntryIsRefused() throws Exception {
        Path file = write("unlogged.tar.gz", "an archive\n");
        Path json = bundle(file, signer().sign(file));
        ObjectNode root = (ObjectNode) JSON.readTree(json.toFile());
        ((ObjectNode) root.path("verificationMaterial")).putArray("tlogEntries");
        Files.write(json, JSON.writeValueAsBytes(root));

        SigstoreMock.Verdict verdict = mock.verify(json, file, IDENTITY, ISSUER);
        assertThat(verdict.verified()).isFalse();
        // the log entry's integrated time is the only time the certificate's ten minutes are checked against
        assertThat(verdict.output()).contains("TIMESTAMP_ERROR: expected 1 timestamps, got 0");
    }

    @Test
    void aLogEntryOfAnotherSignatureIsRefused() throws Exception {
        Path file = write("swapped.tar.gz", "an archive\n");
        Path other = write("other.tar.gz", "another archive\n");
        EphemeralSigner signer = signer();
        ObjectNode root = (ObjectNode) JSON.readTree(signer.sign(file).toJson());
        ObjectNode otherRoot = (ObjectNode) JSON.readTree(signer.sign(other).toJson());
        ((ObjectNode) root.path("verificationMaterial")).set("tlogEntries", otherRoot.path("verificationMaterial").path("tlogEntries"));
        Path json = Files.write(dir.resolve("swapped.tar.gz.sigstore.json"), JSON.writeValueAsBytes(root));

        SigstoreMock.Verdict verdict = mock.verify(json, file, IDENTITY, ISSUER);
        assertThat(verdict.verified()).isFalse();
        assertThat(verdict.output()).startsWith("not verified: TLOG_BODY_ERROR");
    }

    @Test
    void oneSignerAsksFulcioOnceForItsCertificateAndLogsEachSignature() throws Exception {
        int certificates = mock.requests(Fulcio.PATH);
        int entries = mock.requests(Rekor.PATH);
        EphemeralSigner signer = signer();
        Path a = write("a.tar.gz", "a\n");
        Path b = write("b.tar.gz", "b\n");
        Path ja = bundle(a, signer.sign(a));
        Path jb = bundle(b, signer.sign(b));

        assertThat(mock.requests(Fulcio.PATH) - certificates).isEqualTo(1);
        assertThat(mock.requests(Rekor.PATH) - entries).isEqualTo(2);
        assertThat(mock.verify(ja, a, IDENTITY, ISSUER).verified()).isTrue();
        assertThat(mock.verify(jb, b, IDENTITY, ISSUER).verified()).isTrue();
    }

    @Test
    void anImagePayloadIsSignedAndLoggedWithTheCertificateChain() throws Exception {
        SimpleSigning payload = new SimpleSigning("127.0.0.1:5000/acme/app",
                dev.cutter.content.Digest.sha256("manifest".getBytes(StandardCharsets.UTF_8)));
        KeylessSigner.Signed signed = signer().sign(payload);

        assertThat(signed.payload()).isEqualTo(payload.bytes());
        assertThat(signed.certificates()).hasSize(2); // the leaf and the mock CA's root
        var leaf = Fulcio.certificate(signed.certificates().get(0));
        assertThat(dev.cutter.attest.EnvelopeSigner.verify(leaf.getPublicKey(), payload.bytes(), signed.signature())).isTrue();
        assertThat(signed.tlogEntry().path("inclusionPromise").path("signedEntryTimestamp").asText()).isNotEmpty();
    }

    // ---- failures ------------------------------------------------------------------------------

    @Test
    void fulcioAskingToWaitIsTriedAgainAfterTheWaitItAsked() throws Exception {
        mock.fail(Fulcio.PATH, 503, 1, Map.of("Retry-After", "2"), "{\"code\":503,\"message\":\"overloaded\"}");
        Path file = write("retried.tar.gz", "retried\n");
        Path json = bundle(file, signer().sign(file));

        assertThat(waits).containsExactly(Duration.ofSeconds(2));
        assertThat(mock.verify(json, file, IDENTITY, ISSUER).verified()).isTrue();
    }

    @Test
    void fulcioRefusingTheTokenIsAFailureNamingFulcioAndItsWordsNotRetried() throws Exception {
        mock.fail(Fulcio.PATH, 401, 1, Map.of("Content-Type", "application/json"),
                "{\"code\":401,\"message\":\"There was an error processing the identity token\"}");
        Path file = write("refused.tar.gz", "refused\n");

        assertThatThrownBy(() -> signer().sign(file)).isInstanceOfSatisfying(KeylessException.class, e -> {
            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage()).startsWith("Fulcio could not issue a signing certificate: POST " + mock.url + Fulcio.PATH
                    + " answered 401 (There was an error processing the identity token)");
        });
        assertThat(waits).isEmpty();
    }

    @Test
    void rekorFailingEveryAttemptIsARetryableFailureNamingRekor() throws Exception {
        mock.fail(Rekor.PATH, 502, 3, Map.of(), "");
        Path file = write("unlogged-502.tar.gz", "not logged\n");

        assertThatThrownBy(() -> signer().sign(file)).isInstanceOfSatisfying(KeylessException.class, e -> {
            assertThat(e.retryable()).isTrue();
            assertThat(e.getMessage()).startsWith("Rekor could not record the signature: POST " + mock.url + Rekor.PATH
                    + " answered 502 after 3 attempts");
        });
        assertThat(waits).hasSize(2);
    }

    @Test
    void aRekorConflictPointingOutsideHttpIsRefusedNamingRekor() throws Exception {
        // 409 names the entry that exists already; a Location that is no http(s) URL (a file, a
        // malformed reference) is the log's error to report, not Cutter's internal one
        for (String location : List.of("file:///etc/passwd", "http://[bad")) {
            mock.fail(Rekor.PATH, 409, 1, Map.of("Location", location), "{}");
            Path file = write("conflict.tar.gz", "x\n");

            assertThatThrownBy(() -> signer().sign(file)).as(location).isInstanceOfSatisfying(KeylessException.class, e -> {
                assertThat(e.retryable()).isFalse();
                assertThat(e.getMessage()).startsWith("Rekor at " + mock.url + " answered 409 with a Location that is no http(s) URL: "
                        + location);
            });
        }
    }

    @Test
    void anUnreachableFulcioIsARetryableFailureSayingNoAnswer() throws Exception {
        int port;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path file = write("unreachable.tar.gz", "x\n");
        EphemeralSigner signer = signer(token(), URI.create("http://127.0.0.1:" + port), mock.url);

        assertThatThrownBy(() -> signer.sign(file)).isInstanceOfSatisfying(KeylessException.class, e -> {
            assertThat(e.retryable()).isTrue();
            assertThat(e.getMessage()).startsWith("Fulcio could not issue a signing certificate: POST http://127.0.0.1:" + port
                    + Fulcio.PATH + ": no answer (3 attempts): ConnectException");
        });
    }

    @Test
    void aRekorThatStallsIsAFailureAfterItsSecondTimeOut() throws Exception {
        mock.hang(Rekor.PATH, 2);
        Path file = write("stalled.tar.gz", "x\n");

        assertThatThrownBy(() -> signer(token(), mock.url, mock.url, Duration.ofMillis(500)).sign(file))
                .isInstanceOfSatisfying(KeylessException.class, e -> assertThat(e.getMessage())
                        .startsWith("Rekor could not record the signature: POST " + mock.url + Rekor.PATH + ": no answer (2 attempts)"));
    }

    @Test
    void anExpiredTokenIsRefusedBeforeFulcioIsAsked() throws Exception {
        int before = mock.requests(Fulcio.PATH);
        String expired = token(Map.of("iss", ISSUER, "sub", IDENTITY, "exp", Instant.now().minusSeconds(60).getEpochSecond()));
        Path file = write("expired.tar.gz", "x\n");

        assertThatThrownBy(() -> signer(expired, mock.url, mock.url).sign(file)).isInstanceOf(KeylessException.class)
                .hasMessageContaining("the identity token of " + IDENTITY + " from " + ISSUER + " expired at");
        assertThat(mock.requests(Fulcio.PATH)).isEqualTo(before);
    }

    @Test
    void aTokenThatIsNotAJwtIsRefusedWithoutShowingIt() throws Exception {
        Path file = write("notjwt.tar.gz", "x\n");
        assertThatThrownBy(() -> signer("s3cr3t-not-a-jwt", mock.url, mock.url).sign(file)).isInstanceOf(KeylessException.class)
                .hasMessageContaining("is not a JWT").hasMessageNotContaining("s3cr3t");
    }

    @Test
    void theTokenComesFromTheNamedVariableOrSigstoreIdTokenOrSaysWhatToSet() throws Exception {
        Sender sender = sender();
        assertThat(new CiIdentityTokens(Map.of("CI_SIGSTORE", "a.b.c"), Optional.of("CI_SIGSTORE"), sender).token()).isEqualTo("a.b.c");
        assertThat(new CiIdentityTokens(Map.of("SIGSTORE_ID_TOKEN", "d.e.f\n"), Optional.empty(), sender).token()).isEqualTo("d.e.f");
        assertThatThrownBy(() -> new CiIdentityTokens(Map.of(), Optional.of("CI_SIGSTORE"), sender).token())
                .isInstanceOf(KeylessException.class).hasMessageContaining("CI_SIGSTORE, which is not set");
        assertThatThrownBy(() -> new CiIdentityTokens(Map.of(), Optional.empty(), sender).token())
                .isInstanceOf(KeylessException.class)
                .hasMessageContaining("set SIGSTORE_ID_TOKEN")
                .hasMessageContaining("permissions: id-token: write");
    }
}
