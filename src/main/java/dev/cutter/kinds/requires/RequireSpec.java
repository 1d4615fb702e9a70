package dev.cutter.kinds.requires;

import dev.cutter.spec.Entry;
import dev.cutter.spec.Location;
import dev.cutter.spec.Spec.RepositoryRef;
import dev.cutter.spec.Template;
import java.time.Duration;
import java.util.Optional;

/**
 * An upstream release the release depends on ({@code requires:}): a tag on a git remote, a forge
 * release or an image tag in a registry, which must be there before the first job.
 *
 * @param source    {@code git}, {@code release} or {@code image}: where the release is looked for
 * @param from      the git remote's URL, or the forge store ({@code github:OWNER/REPO}); empty for an image
 * @param image     the image's {@code REGISTRY/path}, for {@code image}
 * @param tag       the git tag, release tag or image tag
 * @param waitFor   how long it may take to appear; none: it must be there at once
 * @param component the component whose release needs it; none: the project's release
 * @param token     the forge's API token, for {@code release} (a secret reference)
 */
public record RequireSpec(String id, String source, Optional<Template> from, Optional<RepositoryRef> image, Template tag,
        Optional<Duration> waitFor, Optional<String> component, Optional<Template> token, Location location) implements Entry {}
