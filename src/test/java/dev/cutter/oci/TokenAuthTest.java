package dev.cutter.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutter.content.Digest;
import dev.cutter.testing.LocalRegistry;
import dev.cutter.testing.TokenServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docker/OCI Bearer token auth against the real distribution registry, which verifies every
 * token the {@link TokenServer} signs (a stand-in for Docker Hub's auth.docker.io): pushes and
 * pulls ask for the right scopes, a mount asks for the source's pull too, refusals are clear,
 * tokens are cached and renewed when the registry stops taking them. skopeo checks independently.
 */
@Tag("e2e")
class TokenAuthTest {
    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "admin-pass-1";

    @TempDir
    Path tmp;

    static RegistryClient client(LocalRegistry registry, String user, String password) {
        return new RegistryClient(RegistryClient.http(), Credentials.of(
                Map.of(registry.address(), new Credentials.UsernamePassword(user, password)), Credentials.none()), Set.of());
    }

    static RegistryClient anonymous() {
        return new RegistryClient(RegistryClient.http(), Credentials.none(), Set.of());
    }

    /** Every scope asked for, in order, one string per token request (scopes joined by a space). */
    static List<String> asked(TokenServer tokens) {
        return tokens.requests().stream().map(r -> String.join(" ", r.scopes())).toList();
    }

    Sample.Built sample(OciLayout layout) throws Exception {
        Sample.Built image = Sample.build(tmp.resolve("src"), layout.blobs(), FileTime.fromMillis(1_000_000_000_000L), "rw-r--r--");
        layout.tag("1.0.0", image.index());
        return image;
    }

    /** The layers and configs of the image: what HEAD /blobs/ finds (manifests live under /manifests/). */
    static List<Digest> blobs(Sample.Built image) {
        List<Digest> blobs = new ArrayList<>();
        image.layers().forEach(l -> blobs.add(l.digest()));
        image.images().forEach(i -> blobs.add(i.config()));
        return blobs;
    }

    TokenServer tokens() throws Exception {
        return TokenServer.start(tmp.resolve("token")).user(ADMIN, ADMIN_PASSWORD).allow(ADMIN, "*/*", "*");
    }

    @Test
    void aUserAllowedToPushPushesAnIndexThatSkopeoReadsBack() throws Exception {
        try (TokenServer tokens = tokens().user("releaser", "rel-pass-2").allow("releaser", "acme/app", "pull", "push");
                LocalRegistry registry = LocalRegistry.withTokenAuth(tokens)) {
            OciLayout layout = OciLayout.open(tmp.resolve("build"));
            Sample.Built image = sample(layout);
            Copier copier = new Copier(client(registry, "releaser", "rel-pass-2"), OciLayout.open(tmp.resolve("store")));

            var copied = copier.copy(ImageReference.parse("oci:" + tmp.resolve("build") + ":1.0.0"),
                    List.of(ImageReference.parse(registry.address() + "/acme/app:1.0.0")));

            assertThat(copied.get(0).digest()).isEqualTo(image.index().digest());
            assertThat(copied.get(0).blobsSent()).isEqualTo(4);
            assertThat(tokens.requests()).allMatch(r -> r.user().equals(Optional.of("releaser")) && r.service().equals(TokenServer.SERVICE));
            assertThat(asked(tokens)).contains("repository:acme/app:pull,push");
            assertThat(tokens.requests()).filteredOn(r -> r.scopes().equals(List.of("repository:acme/app:pull,push")))
                    .allMatch(r -> r.granted().equals(List.of("repository:acme/app:pull,push")));
            assertThat(RegistryClientTest.skopeo("inspect", "--tls-verify=false", "--creds", "releaser:rel-pass-2", "--raw",
                    "docker://" + registry.address() + "/acme/app:1.0.0"))
                    .isEqualTo(Files.readString(layout.blob(image.index().digest())));
        }
    }

    @Test
    void rs256TokensAndAnOAuth2StyleAnswerWithOnlyAnAccessTokenWorkToo() throws Exception {
        try (TokenServer tokens = TokenServer.start(tmp.resolve("token"), TokenServer.Algorithm.RS256).accessTokenOnly()
                .user(ADMIN, ADMIN_PASSWORD).allow(ADMIN, "*/*", "*");
                LocalRegistry registry = LocalRegistry.withTokenAuth(tokens)) {
            OciLayout layout = OciLayout.open(tmp.resolve("build"));
            Sample.Built image = sample(layout);
            var repo = Repository.parse(registry.address() + "/acme/app");
            RegistryClient admin = client(registry, ADMIN, ADMIN_PASSWORD);

            Pusher.pushIndex(admin, repo, layout, image.index().digest(), Optional.empty());

            assertThat(admin.headManifest(repo, image.index().digest().toString())).isPresent();
        }
    }

    @Test
    void aMountAsksForTheSourcesPullWithTheTargetsPushAndTheBlobIsMountedNotUploaded() throws Exception {
        try (TokenServer tokens = tokens().user("mirror", "mirror-pass-3").allow("mirror", "acme/app", "pull")
                        .allow("mirror", "mirror/app", "pull", "push").allow("mirror", "mirror/other", "pull", "push");
                LocalRegistry registry = LocalRegistry.withTokenAuth(tokens)) {
            OciLayout layout = OciLayout.open(tmp.resolve("build"));
            Sample.Built image = sample(layout);
            var source = Repository.parse(registry.address() + "/acme/app");
            Pusher.pushIndex(client(registry, ADMIN, ADMIN_PASSWORD), source, layout, image.index().digest(), Optional.empty());
            Pusher.tag(client(registry, ADMIN, ADMIN_PASSWORD), source, layout, image.index().digest(), "1.0.0");
            tokens.forget();
            RegistryClient mirror = client(registry, "mirror", "mirror-pass-3");

            var copied = new Copier(mirror, OciLayout.open(tmp.resolve("store")))
                    .copy(ImageReference.parse(registry.address() + "/acme/app:1.0.0"),
                            List.of(ImageReference.parse(registry.address() + "/mirror/app:1.0.0")));

            assertThat(copied.get(0).digest()).isEqualTo(image.index().digest());
            assertThat(tokens.requests()).anySatisfy(r -> {
                assertThat(r.scopes()).containsExactlyInAnyOrder("repository:mirror/app:pull,push", "repository:acme/app:pull");
                assertThat(r.granted()).containsExactlyInAnyOrder("repository:mirror/app:pull,push", "repository:acme/app:pull");
            });
            assertThat(RegistryClientTest.skopeo("inspect", "--tls-verify=false", "--creds", "mirror:mirror-pass-3", "--raw",
                    "docker://" + registry.address() + "/mirror/app:1.0.0"))
                    .isEqualTo(Files.readString(layout.blob(image.index().digest())));

            // mounted: the registry took it from acme/app, so the bytes were never asked for
            Digest layer = image.layers().get(0).digest();
            AtomicInteger bytesAsked = new AtomicInteger();
            var other = Repository.parse(registry.address() + "/mirror/other");
            mirror.putBlob(other, layer, d -> {
                bytesAsked.incrementAndGet();
                return layout.blob(d);
            }, Optional.of("acme/app"));
            assertThat(bytesAsked).hasValue(0);
            assertThat(mirror.blobExists(other, layer)).isTrue();
        }
    }

    @Test
    void aMountFromARepositoryTheUserMayNotPullFallsBackToAnUpload() throws Exception {
        try (TokenServer tokens = tokens().user("mirror", "mirror-pass-3").allow("mirror", "mirror/app", "pull", "push");
                LocalRegistry registry = LocalRegistry.withTokenAuth(tokens)) {
            OciLayout layout = OciLayout.open(tmp.resolve("build"));
            Sample.Built image = sample(layout);
            var secret = Repository.parse(registry.address() + "/secret/app");
            Pusher.pushIndex(client(registry, ADMIN, ADMIN_PASSWORD), secret, layout, image.index().digest(), Optional.empty());
            RegistryClient mirror = client(registry, "mirror", "mirror-pass-3");
            Digest layer = image.layers().get(0).digest();
            AtomicInteger bytesAsked = new AtomicInteger();
            var target = Repository.parse(registry.address() + "/mirror/app");

            mirror.putBlob(target, layer, d -> {
                bytesAsked.incrementAndGet();
                return layout.blob(d);
            }, Optional.of("secret/app"));

            assertThat(bytesAsked).as("uploaded, as the mount was refused").hasValue(1);
            assertThat(mirror.blobExists(target, layer)).isTrue();
        }
    }

    @Test
    void aPullOnlyUserIsRefusedThePushNamingTheUrlAndNothingIsWritten() throws Exception {
        try (TokenServer tokens = tokens().user("reader", "read-pass-4").allow("reader", "acme/*", "pull").allow(null, "acme/*", "pull");
                LocalRegistry registry = LocalRegistry.withTokenAuth(tokens)) {
            OciLayout layout = OciLayout.open(tmp.resolve("build"));
            Sample.Built image = sample(layout);
            Copier copier = new Copier(client(registry, "reader", "read-pass-4"), OciLayout.open(tmp.resolve("store")));
            ImageReference from = ImageReference.parse("oci:" + tmp.resolve("build") + ":1.0.0");

            assertThatThrownBy(() -> copier.copy(from, List.of(ImageReference.parse(registry.address() + "/acme/app:1.0.0"))))
                    .isInstanceOfSatisfying(RegistryException.class, e -> {
                        assertThat(e.unauthorized()).isTrue();
                        assertThat(e.getMessage()).contains("http://" + registry.address() + "/v2/acme/app/blobs/uploads/")
                                .contains("401").contains("insufficient_scope").contains("repository:acme/app:").contains("push");
                    });
            assertThat(asked(tokens)).contains("repository:acme/app:pull,push");

            // the CLI, anonymous (allowed to pull acme/* too): exit 4, the URL named
            CopyBatchTest.Result cli = CopyBatchTest.cutter("copy", "oci:" + tmp.resolve("build") + ":1.0.0",
                    registry.address() + "/acme/cli:1.0.0");
            assertThat(cli.code()).as(cli.err()).isEqualTo(4);
            assertThat(cli.err()).contains("http://" + registry.address() + "/v2/acme/cli/");

            RegistryClient admin = client(registry, ADMIN, ADMIN_PASSWORD);
            for (String path : List.of("acme/app", "acme/cli")) {
                var repo = Repository.parse(registry.address() + "/" + path);
                assertThat(admin.tags(repo)).isEmpty();
                for (Digest blob : Copier.reachable(layout, image.index())) {
                    assertThat(admin.blobExists(repo, blob)).as(path + " " + blob).isFalse();
                }
            }
        }
    }

    @Test
    void anonymousPullsWhatTheTokenServiceGrantsAnyoneAndOneTokenServesManyRequests() throws Exception {
        try (TokenServer tokens = tokens().allow(null, "public/app", "pull");
                LocalRegistry registry = LocalRegistry.withTokenAuth(tokens)) {
            OciLayout layout = OciLayout.open(tmp.resolve("build"));
            Sample.Built image = sample(layout);
            var repo = Repository.parse(registry.address() + "/public/app");
            Pusher.pushIndex(client(registry, ADMIN, ADMIN_PASSWORD), repo, layout, image.index().digest(), Optional.empty());
            Pusher.tag(client(registry, ADMIN, ADMIN_PASSWORD), repo, layout, image.index().digest(), "1.0.0");
            tokens.forget();
            RegistryClient anonymous = anonymous();
            List<Digest> blobs = blobs(image);

            for (int i = 0; i < 3; i++) {
                for (Digest blob : blobs) {
                    assertThat(anonymous.blobExists(repo, blob)).isTrue();
                }
            }
            var pulled = Puller.pull(anonymous, repo, "1.0.0", OciLayout.open(tmp.resolve("pulled")));

            assertThat(pulled.top().digest()).isEqualTo(image.index().digest());
            assertThat(tokens.requests()).hasSize(1).allSatisfy(r -> {
                assertThat(r.user()).isEmpty();
                assertThat(r.scopes()).containsExactly("repository:public/app:pull");
            });
            assertThat(RegistryClientTest.skopeo("inspect", "--tls-verify=false", "--raw", "docker://" + registry.address() + "/public/app:1.0.0"))
                    .isEqualTo(Files.readString(layout.blob(image.index().digest())));
            assertThatThrownBy(() -> anonymous.blobExists(Repository.parse(registry.address() + "/acme/app"), blobs.get(0)))
                    .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.status()).isEqualTo(401));
        }
    }

    @Test
    void requestsInParallelOnAFreshClientShareOneToken() throws Exception {
        try (TokenServer tokens = tokens().allow(null, "public/app", "pull");
                LocalRegistry registry = LocalRegistry.withTokenAuth(tokens)) {
            OciLayout layout = OciLayout.open(tmp.resolve("build"));
            Sample.Built image = sample(layout);
            var repo = Repository.parse(registry.address() + "/public/app");
            Pusher.pushIndex(client(registry, ADMIN, ADMIN_PASSWORD), repo, layout, image.index().digest(), Optional.empty());
            tokens.forget();
            RegistryClient anonymous = anonymous();
            List<Digest> blobs = blobs(image);

            List<java.util.concurrent.Future<Boolean>> heads = new ArrayList<>();
            try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 4; i++) {
                    for (Digest blob : blobs) {
                        heads.add(pool.submit(() -> anonymous.blobExists(repo, blob)));
                    }
                }
                for (var head : heads) {
                    assertThat(head.get()).isTrue();
                }
            }

            assertThat(tokens.requests()).hasSize(1);
        }
    }

    @Test
    void aWrongPasswordIsRefusedByTheTokenServiceWithAClearError() throws Exception {
        try (TokenServer tokens = tokens(); LocalRegistry registry = LocalRegistry.withTokenAuth(tokens)) {
            RegistryClient wrong = client(registry, ADMIN, "not-the-password");
            var repo = Repository.parse(registry.address() + "/acme/app");

            assertThatThrownBy(() -> wrong.tags(repo)).isInstanceOfSatisfying(RegistryException.class, e -> {
                assertThat(e.unauthorized()).isTrue();
                assertThat(e.getMessage()).contains(tokens.realm()).contains("401").doesNotContain("not-the-password");
            });
        }
    }

    @Test
    void anExpiredTokenIsRefusedByTheRegistryAndRenewedWithoutTheCallerNoticing() throws Exception {
        try (TokenServer tokens = tokens().lifetime(Duration.ofSeconds(2));
                LocalRegistry registry = LocalRegistry.withTokenAuth(tokens)) {
            OciLayout layout = OciLayout.open(tmp.resolve("build"));
            Sample.Built image = sample(layout);
            var repo = Repository.parse(registry.address() + "/acme/app");
            RegistryClient admin = client(registry, ADMIN, ADMIN_PASSWORD);
            Pusher.pushIndex(admin, repo, layout, image.index().digest(), Optional.empty());
            Digest blob = image.layers().get(0).digest();
            assertThat(admin.blobExists(repo, blob)).isTrue();
            String stale = "Bearer " + tokenFor(tokens, "repository:acme/app:pull");
            int before = tokens.requests().size();
            URI head = URI.create(registry.url() + "/v2/acme/app/blobs/" + blob);
            assertThat(status(head, stale)).as("the registry takes a fresh token").isEqualTo(200);

            Thread.sleep(2_500); // the tokens expire

            assertThat(status(head, stale)).as("the registry refuses the expired token").isEqualTo(401);
            assertThat(admin.blobExists(repo, blob)).isTrue();
            assertThat(admin.getManifest(repo, image.index().digest().toString())).isPresent();
            assertThat(tokens.requests().size() - before).as("renewed once, then cached").isEqualTo(1);
        }
    }

    @Test
    void aTokenExpiringBetweenStartingAnUploadAndSendingItsBytesIsRenewed() throws Exception {
        try (TokenServer tokens = tokens().lifetime(Duration.ofSeconds(2));
                LocalRegistry registry = LocalRegistry.withTokenAuth(tokens)) {
            OciLayout layout = OciLayout.open(tmp.resolve("build"));
            Sample.Built image = sample(layout);
            List<Digest> blobs = List.of(image.layers().get(0).digest(), image.layers().get(1).digest());
            // the bytes are had only after the upload has started (a copy fetches them from its source then)
            Blobs late = d -> {
                pause(Duration.ofMillis(2_500));
                return layout.blob(d);
            };
            RegistryClient monolithic = client(registry, ADMIN, ADMIN_PASSWORD);
            RegistryClient chunked = client(registry, ADMIN, ADMIN_PASSWORD).chunked(64);
            var one = Repository.parse(registry.address() + "/acme/one");
            var many = Repository.parse(registry.address() + "/acme/chunks");

            monolithic.putBlob(one, blobs.get(0), late, Optional.empty());
            chunked.putBlob(many, blobs.get(1), late, Optional.empty());

            assertThat(monolithic.blobExists(one, blobs.get(0))).isTrue();
            assertThat(chunked.blobExists(many, blobs.get(1))).isTrue();
            // (a renewed token may run out again during the chunks: its life is 1 to 2 s, as iat is in whole seconds)
            assertThat(asked(tokens)).as("each upload renewed its token").filteredOn("repository:acme/one:pull,push"::equals).hasSize(2);
            assertThat(asked(tokens)).filteredOn("repository:acme/chunks:pull,push"::equals).hasSizeGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void aLargeBlobWhoseTokenRanOutIsStillUploadedInOnePut() throws Exception {
        try (TokenServer tokens = tokens().lifetime(Duration.ofSeconds(2));
                LocalRegistry registry = LocalRegistry.withTokenAuth(tokens)) {
            Path big = tmp.resolve("big");
            byte[] chunk = new byte[1 << 20];
            var random = new java.util.Random(42);
            try (var out = Files.newOutputStream(big)) {
                for (int i = 0; i < 48; i++) {
                    random.nextBytes(chunk);
                    out.write(chunk);
                }
            }
            Digest digest = Digest.sha256(big);
            RegistryClient admin = client(registry, ADMIN, ADMIN_PASSWORD);
            var repo = Repository.parse(registry.address() + "/acme/big");

            admin.putBlob(repo, digest, d -> {
                pause(Duration.ofMillis(2_500)); // the token runs out before the bytes go
                return big;
            }, Optional.empty());

            assertThat(admin.blobExists(repo, digest)).isTrue();
            assertThat(asked(tokens)).as("the PUT met a 401 and renewed").containsOnlyOnce("repository:acme/big:pull")
                    .filteredOn("repository:acme/big:pull,push"::equals).hasSize(2);
        }
    }

    /** Waits, as a slow source of a blob's bytes would. */
    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis()); // the slowness is the point: a token expires meanwhile
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String tokenFor(TokenServer tokens, String scope) throws Exception {
        String url = tokens.realm() + "?service=" + TokenServer.SERVICE + "&scope=" + java.net.URLEncoder.encode(scope, "UTF-8");
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString((ADMIN + ":" + ADMIN_PASSWORD).getBytes()))
                .build(), HttpResponse.BodyHandlers.ofString());
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).path("access_token").asText();
    }

    private static int status(URI uri, String authorization) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).header("Authorization", authorization)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
