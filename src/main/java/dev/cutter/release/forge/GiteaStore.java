package dev.cutter.release.forge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutter.http.FileBody;
import dev.cutter.release.Asset;
import dev.cutter.release.ReleaseDraft;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Releases of a Gitea (or Forgejo) repository ({@code gitea:HOST/OWNER/REPO}) through its API
 * (https://gitea.com/api/swagger: {@code /repos/{owner}/{repo}/releases},
 * {@code /releases/{id}/assets}): draft, assets, verification, publication, as on GitHub.
 *
 * <p>Gitea keeps no digest of an attachment and stores one only when its upload is complete, so
 * an asset is confirmed by name and size, and — for a draft taken up again — by the digest the
 * draft's own block records for it (see {@link DraftingStore}); the upload itself is checked
 * against the asset's digest while it is sent. Gitea allows one release per tag, drafts
 * included, which is why a replacing draft carries a provisional tag until it is published.
 */
public final class GiteaStore extends DraftingStore {
    GiteaStore(String host, String repository, ForgeApi api) {
        super("gitea:" + host + "/" + repository, repository, api);
    }

    @Override
    List<ForgeRelease> releases() {
        return api.pages(releases("?limit=50"), "list the releases").stream().map(this::release).toList();
    }

    @Override
    List<ForgeAsset> assets(ForgeRelease release) {
        return api.pages(releases("/" + release.id() + "/assets"), "list the assets of release " + release.title())
                .stream().map(this::asset).toList();
    }

    @Override
    void deleteAsset(ForgeRelease release, ForgeAsset asset) {
        api.delete(releases("/" + release.id() + "/assets/" + asset.id()),
                "delete asset " + asset.name() + " of the draft of release " + release.title());
    }

    /**
     * POST {@code /releases/{id}/assets?name=NAME} as {@code multipart/form-data} with the file
     * in the part {@code attachment}: the part's head, the file streamed and checked, its tail.
     */
    @Override
    void upload(ForgeRelease release, Asset asset, String what) {
        String boundary = "cutter-" + UUID.randomUUID();
        String filename = asset.name().replace("\"", "%22");
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"" + filename
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                FileBody.of(asset.source(), asset.size(), asset.digest()), HttpRequest.BodyPublishers.ofByteArray(tail));
        URI uri = releases("/" + release.id() + "/assets?name=" + URLEncoder.encode(asset.name(), StandardCharsets.UTF_8));
        ForgeApi.close(api.expect(api.send("POST", uri, body, "multipart/form-data; boundary=" + boundary,
                GitHubStore.uploadTimeout(asset.size()), what), what, 201));
    }

    @Override
    ObjectNode publishing(ReleaseDraft draft, List<ForgeRelease> all) {
        return ForgeApi.JSON.createObjectNode().put("draft", false).put("tag_name", draft.tag());
    }

    @Override
    InputStream download(ForgeAsset asset, String what) throws IOException {
        return api.download(asset.download(), "application/octet-stream", what);
    }

    /** An attachment: {@code {"id", "name", "size", "uuid", "browser_download_url"}}; Gitea keeps it only once it arrived whole. */
    @Override
    ForgeAsset asset(JsonNode json) {
        return new ForgeAsset(json.path("id").asText(), json.path("name").asText(), json.path("size").asLong(-1), Optional.empty(),
                true, api.link(json.path("browser_download_url").asText(), "an attachment's browser_download_url"));
    }
}
