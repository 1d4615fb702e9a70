package dev.cutter.release;

import dev.cutter.content.Digest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What differs between a published release and a new one, ignoring the creation time: the test
 * for "same content" that makes a repeated publication a no-op, and the explanation when
 * immutability refuses one.
 */
public final class Differences {
    private Differences() {}

    /** Each difference as {@code <what> <published> ≠ <new>}; empty when the content is the same. */
    public static List<String> between(ReleaseInfo published, String publishedNotes, ReleaseInfo wanted, String wantedNotes) {
        List<String> out = new ArrayList<>();
        field(out, "project", published.project(), wanted.project());
        field(out, "version", published.version(), wanted.version());
        field(out, "channel", published.channel(), wanted.channel());
        field(out, "tag", published.tag(), wanted.tag());
        field(out, "commit", published.commit().orElse("(none)"), wanted.commit().orElse("(none)"));
        field(out, "prerelease", published.prerelease(), wanted.prerelease());
        Map<String, AssetInfo> before = byName(published.assets());
        Map<String, AssetInfo> after = byName(wanted.assets());
        for (AssetInfo old : published.assets()) {
            AssetInfo now = after.get(old.name());
            String what = "asset " + old.name();
            if (now == null) {
                out.add(what + " is not in the new release");
                continue;
            }
            if (!old.digest().equals(now.digest())) {
                out.add(what + " " + abbreviate(old.digest()) + " ≠ " + abbreviate(now.digest()));
            } else if (old.size() != now.size()) {
                out.add(what + " size " + old.size() + " ≠ " + now.size());
            }
            field(out, what + " install order", order(old.installOrder()), order(now.installOrder()));
        }
        for (AssetInfo now : wanted.assets()) {
            if (!before.containsKey(now.name())) {
                out.add("asset " + now.name() + " is only in the new release");
            }
        }
        if (!publishedNotes.equals(wantedNotes)) {
            out.add("notes differ");
        }
        return out;
    }

    private static void field(List<String> out, String what, Object published, Object wanted) {
        if (!published.equals(wanted)) {
            out.add(what + " " + published + " ≠ " + wanted);
        }
    }

    private static String order(Optional<Integer> order) {
        return order.map(String::valueOf).orElse("(none)");
    }

    private static Map<String, AssetInfo> byName(List<AssetInfo> assets) {
        return assets.stream().collect(Collectors.toMap(AssetInfo::name, Function.identity()));
    }

    /** Enough of a digest to tell two apart in a message. */
    public static String abbreviate(Digest digest) {
        return digest.algorithm() + ":" + digest.hex().substring(0, 12) + "…";
    }
}
