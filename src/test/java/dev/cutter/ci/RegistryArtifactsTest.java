package dev.cutter.ci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutter.content.Digest;
import dev.cutter.ledger.Artifact;
import dev.cutter.oci.Credentials;
import dev.cutter.oci.MediaTypes;
import dev.cutter.oci.RegistryClient;
import dev.cutter.oci.Repository;
import dev.cutter.testing.LocalRegistry;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job's outputs carried between machines through a registry (docker-registry on loopback), read back as another machine would. */
class RegistryArtifactsTest {
    @TempDir
    Path project;

    @Test
    void anOutputsModeThatIsNoOctalModeIsTheRegistrysErrorNamedNotAnInternalOne() throws Exception {
        try (LocalRegistry local = LocalRegistry.start()) {
            RegistryClient client = new RegistryClient(HttpClient.newHttpClient(), Credentials.none(), Set.of());
            Repository repository = Repository.parse(local.address() + "/ci/outputs");
            RegistryArtifacts store = new RegistryArtifacts(client, repository, project);
            Path file = Files.createDirectories(project.resolve("dist")).resolve("tool");
            Files.writeString(file, "a tool\n");
            Artifact output = new Artifact("r1", "build/tool", "tool", Path.of("dist/tool"), Digest.sha256(file), Files.size(file), "file");
            store.put("r1", "build/tool", List.of(output));

            // the stored mode, as a broken or hostile registry might answer it
            String tag = RegistryArtifacts.jobTag("r1", "build/tool");
            ObjectNode manifest = (ObjectNode) JsonMapper.builder().build().readTree(client.getManifest(repository, tag).orElseThrow().bytes());
            ((ObjectNode) manifest.path("layers").get(0).path("annotations")).put(RegistryArtifacts.MODE, "rwx");
            client.putManifest(repository, tag, MediaTypes.OCI_MANIFEST, manifest.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            Files.delete(file);

            assertThatThrownBy(() -> store.fetch("r1", "build/tool", List.of(output))).isInstanceOf(IOException.class)
                    .hasMessageContaining("rwx").hasMessageContaining("dist/tool");
            assertThat(file).doesNotExist();
        }
    }
}
