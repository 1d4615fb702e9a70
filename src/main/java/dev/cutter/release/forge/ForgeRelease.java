package dev.cutter.release.forge;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A release as the forge lists it, before Cutter reads its own block out of the body.
 *
 * @param tag the forge's tag name; a draft that replaces a published release carries a
 *     provisional one until it is published ({@link DraftingStore})
 * @param title the forge's release name, which is Cutter's release name
 * @param prerelease whether the forge shows it as a pre-release
 * @param immutable whether the forge locks its assets and tag (GitHub's immutable releases)
 * @param raw the forge's JSON, for the fields only one forge has ({@code upload_url})
 */
record ForgeRelease(String id, String tag, String title, String body, boolean draft, boolean prerelease, boolean immutable,
        List<ForgeAsset> assets, JsonNode raw) {

    ForgeRelease {
        assets = List.copyOf(assets);
    }

    /** Cutter's block in the body, checked against the assets. */
    Recorded recorded(String store) {
        return Recorded.of(store, this);
    }
}
