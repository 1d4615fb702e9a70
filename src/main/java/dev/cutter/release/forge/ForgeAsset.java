package dev.cutter.release.forge;

import dev.cutter.content.Digest;
import java.net.URI;
import java.util.Optional;

/**
 * An asset as the forge lists it, whatever the forge: GitHub's release asset, Gitea's attachment,
 * GitLab's release link with the generic package file behind it.
 *
 * @param digest the forge's own digest of the bytes, where it keeps one (GitHub's {@code digest},
 *     GitLab's {@code file_sha256})
 * @param complete whether the forge holds all of it (GitHub marks an upload that broke off
 *     {@code starter}; a GitLab link whose package file is gone is not complete)
 * @param download where its bytes are fetched
 */
record ForgeAsset(String id, String name, long size, Optional<Digest> digest, boolean complete, URI download) {}
