package dev.cutter.build;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cutter.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files a buildah build reads its pulls from: its {@code registries.conf} (read back by
 * Python's {@code tomllib}, a TOML 1.0 parser other than the writer) and its auth file. Values a
 * spec or a registry name can bring (quotes, newlines, brackets) stay values and add no entries.
 */
class BuildahPullFilesTest {
    private static final String HOSTILE_LOCATION = "evil.example/a\"]\ninsecure = true\n[[registry]]\nlocation = \"x";

    @TempDir
    Path tmp;

    @Test
    void registriesConfMarksExactlyTheInsecurePullsAndHostileNamesStayOneValue() throws Exception {
        String conf = Buildah.registriesConf(List.of(
                new ImageBuilder.Pull("[::1]:5000/acme/base", true, Optional.empty()),
                new ImageBuilder.Pull("secure.example/acme/base", false, Optional.of(new ImageBuilder.Login("u", "p"))),
                new ImageBuilder.Pull(HOSTILE_LOCATION, true, Optional.empty()),
                new ImageBuilder.Pull("[::1]:5000/acme/base", true, Optional.empty())));

        JsonNode parsed = tomlAsJson(conf);

        assertThat(parsed.path("unqualified-search-registries").isArray()).isTrue();
        assertThat(parsed.path("unqualified-search-registries")).isEmpty();
        assertThat(parsed.path("registry")).hasSize(2);
        assertThat(parsed.path("registry").get(0).path("location").asText()).isEqualTo("[::1]:5000/acme/base");
        assertThat(parsed.path("registry").get(0).path("insecure").asBoolean()).isTrue();
        assertThat(parsed.path("registry").get(1).path("location").asText()).isEqualTo(HOSTILE_LOCATION);
        assertThat(parsed.path("registry").get(1).size()).as("no key but location and insecure").isEqualTo(2);
    }

    @Test
    void theAuthFileHoldsTheSpecsCredentialsAsWrittenOnlyItsOwnerMayReadIt() throws Exception {
        String password = "p\"a}ss\nword\\\u0001:tail";
        List<ImageBuilder.Pull> pulls = List.of(
                new ImageBuilder.Pull("127.0.0.1:5000/acme/base", true, Optional.empty()),
                new ImageBuilder.Pull(HOSTILE_LOCATION, false, Optional.of(new ImageBuilder.Login("ci\"user", password))));

        Path file = Buildah.authFile(pulls, tmp).orElseThrow();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        JsonNode auths = JsonMapper.builder().build().readTree(file.toFile()).path("auths");
        assertThat(auths.size()).as("only the pull with a login").isEqualTo(1);
        String auth = new String(Base64.getDecoder().decode(auths.path(HOSTILE_LOCATION).path("auth").asText()), StandardCharsets.UTF_8);
        assertThat(auth).isEqualTo("ci\"user:" + password);
        assertThat(Buildah.authFile(List.of(pulls.getFirst()), tmp.resolve("none"))).as("no login, no file").isEmpty();
    }

    @Test
    void aLoginThatIsAnIdentityTokenIsWrittenAsOne() throws Exception {
        Path file = Buildah.authFile(List.of(new ImageBuilder.Pull("acr.example/acme/base", false,
                Optional.of(ImageBuilder.Login.identityToken("refresh-token-1")))), tmp).orElseThrow();

        JsonNode entry = JsonMapper.builder().build().readTree(file.toFile()).path("auths").path("acr.example/acme/base");
        assertThat(entry.path("identitytoken").asText()).isEqualTo("refresh-token-1");
        assertThat(entry.has("auth")).isFalse();
    }

    @Test
    void tomlStringsEscapeQuotesBackslashesAndControlCharacters() {
        assertThat(Toml.string("a\"b\\c\nd\te\u0000f\u007fg")).isEqualTo("\"a\\\"b\\\\c\\nd\\te\\u0000f\\u007Fg\"");
    }

    /** {@code toml} parsed by Python's tomllib and written as JSON. */
    private JsonNode tomlAsJson(String toml) throws Exception {
        Tools.require("python3", "python3");
        Path file = tmp.resolve("registries.conf");
        Files.writeString(file, toml);
        Process p = new ProcessBuilder("python3", "-c",
                "import json, sys, tomllib; print(json.dumps(tomllib.load(open(sys.argv[1], 'rb'))))", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(toml + "\n" + out).isZero();
        return JsonMapper.builder().build().readTree(out);
    }
}
