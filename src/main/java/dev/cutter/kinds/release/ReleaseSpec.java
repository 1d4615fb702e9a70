package dev.cutter.kinds.release;

import dev.cutter.spec.Entry;
import dev.cutter.spec.Location;
import dev.cutter.spec.Template;
import java.util.List;
import java.util.Optional;

/**
 * A named release with assets in a store ({@code dir:PATH}, an HTTP URL, {@code github:OWNER/REPO}…).
 *
 * @param token a secret reference: the forge's API token (else the forge's usual environment variable)
 * @param target what a forge makes a missing tag from (a branch, tag or commit of the release's
 *     repository); by default the release's commit when the store is the checkout's own repository
 *     (the remote the spec's {@code git:} names, else {@code origin}), else the store's default branch
 */
public record ReleaseSpec(String id, Template name, Template store, List<String> assets, String exists,
        Optional<Boolean> draft, String prerelease, Optional<Template> notes, Optional<Template> token, Optional<Template> target,
        Location location) implements Entry {}
