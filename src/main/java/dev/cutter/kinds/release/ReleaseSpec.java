package dev.cutter.kinds.release;

import dev.cutter.spec.Location;
import dev.cutter.spec.Template;
import java.util.List;
import java.util.Optional;

/**
 * A named release with assets in a store ({@code dir:PATH}, an HTTP URL, {@code github:OWNER/REPO}…).
 *
 * @param token a secret reference: the forge's API token (else the forge's usual environment variable)
 */
public record ReleaseSpec(String id, Template name, Template store, List<String> assets, String exists,
        Optional<Boolean> draft, String prerelease, Optional<Template> notes, Optional<Template> token, Location location) {}
