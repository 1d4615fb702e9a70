package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutter.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What registry repositories hold as skopeo reads them: every tag and the bytes of the manifest it
 * names ({@code skopeo inspect --raw}), so a test can say a refused release changed nothing.
 */
final class RegistrySnapshot {
    private RegistrySnapshot() {}

    /** {@code host/path:tag} to its manifest's bytes, for every tag of every repository (a missing repository has none). */
    static Map<String, String> of(List<String> repositories) throws Exception {
        Map<String, String> snapshot = new TreeMap<>();
        for (String repository : repositories) {
            Skopeo listed = skopeo("list-tags", "--tls-verify=false", "docker://" + repository);
            if (listed.exit() != 0) {
                assertThat(listed.out()).as("skopeo list-tags " + repository).containsAnyOf("NAME_UNKNOWN", "repository name not known");
                continue;
            }
            for (JsonNode tag : new ObjectMapper().readTree(listed.out()).path("Tags")) {
                Skopeo raw = skopeo("inspect", "--tls-verify=false", "--raw", "docker://" + repository + ":" + tag.asText());
                assertThat(raw.exit()).as(raw.out()).isZero();
                snapshot.put(repository + ":" + tag.asText(), raw.out());
            }
        }
        return snapshot;
    }

    private record Skopeo(int exit, String out) {}

    private static Skopeo skopeo(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Tools.require("skopeo", "skopeo").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("skopeo " + String.join(" ", args) + " finished").isTrue();
        return new Skopeo(p.exitValue(), out);
    }
}
