package dev.cutter.kinds.pin;

import dev.cutter.spec.Location;
import dev.cutter.spec.Template;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code git:}: where pin commits and tags go.
 *
 * @param remote the remote tags and pins are pushed to ({@code origin} by default; the peer pods seed pushes to {@code upstream})
 * @param branch the branch pins go to; empty: the branch the checkout is on
 * @param via {@code push} (straight to the branch) or {@code pull-request} (a branch of their own, merged through the forge)
 * @param forge the forge the pull requests are opened on: {@code github:OWNER/REPO}, {@code gitlab:GROUP/PROJECT} or
 *     {@code gitea:HOST/OWNER/REPO}
 * @param token a secret reference for the forge's API; else the forge's usual variable ({@code GITHUB_TOKEN}…)
 * @param merge {@code auto}: Cutter merges once the checks passed, when the token may; {@code wait}: someone else merges
 * @param mergeWait how long to wait for the merge ({@code wait:})
 * @param poll how often to look
 */
public record GitSpec(String remote, Optional<String> branch, String via, Optional<String> forge, Optional<Template> token,
        String merge, Duration mergeWait, Duration poll, Location location) {}
