package dev.cutter.release.forge;

import dev.cutter.release.AssetInfo;
import dev.cutter.release.Differences;
import dev.cutter.release.ExistsPolicy;
import dev.cutter.release.PublishResult;
import dev.cutter.release.ReleaseDraft;
import dev.cutter.release.ReleaseExistsException;
import dev.cutter.release.ReleaseInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a forge release says of itself, checked: the release Cutter recorded in its body
 * ({@link ReleaseBody}), and which of the recorded assets the forge's own listing confirms —
 * present, complete, of the recorded size and, where the forge keeps a digest, of the recorded
 * digest. An asset the forge holds but the block does not name is not Cutter's and is left out.
 *
 * @param claimed the release as the block records it
 * @param confirmed the same with only the assets the forge confirms: what readers can rely on
 * @param problems why an asset is not confirmed, or why there is no block at all
 */
record Recorded(Optional<ReleaseInfo> claimed, Optional<ReleaseInfo> confirmed, String notes, List<String> problems) {

    static Recorded of(String store, ForgeRelease release) {
        String source = store + " release " + release.title() + " (tag " + release.tag() + ")";
        ReleaseBody.Parsed parsed = ReleaseBody.parse(release.title(), release.body(), source);
        if (parsed.release().isEmpty()) {
            return new Recorded(Optional.empty(), Optional.empty(), parsed.notes(), List.of(parsed.problem().orElseThrow()));
        }
        ReleaseInfo claimed = parsed.release().get();
        Map<String, ForgeAsset> listed = release.assets().stream()
                .collect(Collectors.toMap(ForgeAsset::name, Function.identity(), (a, b) -> a.complete() ? a : b));
        List<String> problems = new ArrayList<>();
        List<AssetInfo> kept = new ArrayList<>();
        for (AssetInfo asset : claimed.assets()) {
            Optional<String> problem = problem(asset, listed.get(asset.name()));
            problem.ifPresentOrElse(problems::add, () -> kept.add(asset));
        }
        ReleaseInfo confirmed = new ReleaseInfo(claimed.name(), claimed.project(), claimed.version(), claimed.channel(),
                claimed.tag(), claimed.commit(), claimed.created(), kept, claimed.prerelease());
        return new Recorded(Optional.of(claimed), Optional.of(confirmed), parsed.notes(), List.copyOf(problems));
    }

    /** Why the forge's asset is not the recorded one, if it is not. */
    static Optional<String> problem(AssetInfo recorded, ForgeAsset listed) {
        String what = "asset " + recorded.name();
        if (listed == null) {
            return Optional.of(what + " is recorded but not on the forge");
        }
        if (!listed.complete()) {
            return Optional.of(what + " is not completely uploaded");
        }
        if (listed.size() != recorded.size()) {
            return Optional.of(what + " is " + listed.size() + " bytes on the forge, not " + recorded.size() + " as recorded");
        }
        if (listed.digest().isPresent() && !listed.digest().get().equals(recorded.digest())) {
            return Optional.of(what + " is " + Differences.abbreviate(listed.digest().get()) + " on the forge, not "
                    + Differences.abbreviate(recorded.digest()) + " as recorded");
        }
        return Optional.empty();
    }

    /** Whether the block is there and the forge confirms every recorded asset. */
    boolean whole() {
        return claimed.isPresent() && problems.isEmpty();
    }

    /**
     * What differs between this release and {@code wanted} with {@code wantedNotes}, called
     * {@code title} on the forge: the damage the forge shows, then the differences in content.
     * Empty means the same content, which makes a publication a no-op.
     */
    List<String> differences(String title, ReleaseInfo wanted, String wantedNotes) {
        if (claimed.isEmpty()) {
            return problems;
        }
        List<String> out = new ArrayList<>(problems);
        if (!title.equals(wanted.name())) {
            out.add("name " + title + " ≠ " + wanted.name());
        }
        out.addAll(Differences.between(claimed.get(), notes, wanted, wantedNotes));
        return out;
    }

    /**
     * What this release, published on {@code store} as {@code title}, means for a publication of
     * {@code draft}. When it holds the wanted content already, the answer is the unchanged result.
     * Under {@code exists: fail} with other content, it is a refusal, naming the differences.
     * Otherwise it is empty, and the caller replaces the release.
     */
    Optional<PublishResult> unchangedOrRefused(String store, String title, ReleaseDraft draft, ReleaseInfo wanted, ExistsPolicy policy) {
        List<String> differences = differences(title, wanted, draft.notes());
        if (differences.isEmpty()) {
            return Optional.of(new PublishResult(PublishResult.Outcome.UNCHANGED, confirmed.orElseThrow(), Optional.empty()));
        }
        if (policy == ExistsPolicy.FAIL) {
            throw new ReleaseExistsException(store, draft.name(), differences);
        }
        return Optional.empty();
    }
}
