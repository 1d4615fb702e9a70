package dev.cutter.kinds.validate;

import dev.cutter.content.Digest;
import dev.cutter.plan.Action;
import dev.cutter.release.AssetInfo;
import dev.cutter.release.ReleaseInfo;
import dev.cutter.release.ReleaseStore;
import dev.cutter.run.JobContext;
import dev.cutter.run.JobFailure;
import dev.cutter.run.JobOutcome;
import dev.cutter.sign.OpenPgpKey;
import dev.cutter.sign.OpenPgpVerifier;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.cutter.run.jobs.SigningKeys;
import dev.cutter.kinds.release.ReleaseJob;

/**
 * The {@code assets} check: every asset of every release of this run, read back from its store
 * as users download it — its SHA-256 and size as the release records them, each line of the
 * checksums file against the asset it names, each {@code .asc} signature against the public half
 * of the key that signed it. The problems are listed by release and asset.
 */
final class AssetChecks {
    private AssetChecks() {}

    static JobOutcome check(JobContext context, Map<String, String> environment, java.net.http.HttpClient http) throws Exception {
        List<Action.Release> releases = context.plan().actions(Action.Release.class).toList();
        if (releases.isEmpty()) {
            throw JobFailure.failed("this release publishes no release store to check; remove the check or add a release");
        }
        List<byte[]> publicKeys = publicKeys(context);
        Optional<Action.Checksums> checksums = context.plan().actions(Action.Checksums.class).findFirst();
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Action.Release release : releases) {
            ReleaseStore store = ReleaseJob.store(context, release, environment, http);
            Optional<ReleaseInfo> info = store.find(release.name());
            if (info.isEmpty()) {
                problems.add(store.describe() + " has no release " + release.name());
                continue;
            }
            Map<String, Digest> actual = new LinkedHashMap<>();
            for (AssetInfo asset : info.get().assets()) {
                Digest digest;
                try (InputStream in = store.openAsset(release.name(), asset.name())) {
                    digest = Digest.sha256(in);
                }
                actual.put(asset.name(), digest);
                checked++;
                if (!digest.equals(asset.digest())) {
                    problems.add(release.name() + "/" + asset.name() + " is " + digest + ", not " + asset.digest() + " as released");
                }
            }
            if (checksums.isPresent() && actual.containsKey(checksums.get().name())) {
                problems.addAll(sums(store, release.name(), checksums.get().name(), actual));
            }
            for (String name : actual.keySet()) {
                if (name.endsWith(".asc") && actual.containsKey(name.substring(0, name.length() - 4))) {
                    problems.addAll(signature(store, release.name(), name.substring(0, name.length() - 4), name, publicKeys));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw JobFailure.failed(problems.size() + " problems with the released assets: " + String.join("; ", problems));
        }
        return JobOutcome.done(checked + " assets in " + releases.size() + " releases match their digests, checksums and signatures",
                List.of(), List.of());
    }

    /** Each {@code HEX  NAME} line of the checksums file against the asset it names. */
    private static List<String> sums(ReleaseStore store, String release, String file, Map<String, Digest> actual) throws IOException {
        List<String> problems = new ArrayList<>();
        String text;
        try (InputStream in = store.openAsset(release, file)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String line : text.lines().filter(l -> !l.isBlank()).toList()) {
            String[] parts = line.split("\\s+\\*?", 2);
            if (parts.length != 2) {
                problems.add(release + "/" + file + " has a line that is not HASH  NAME: " + line);
                continue;
            }
            Digest listed = actual.get(parts[1].strip());
            if (listed == null) {
                problems.add(release + "/" + file + " lists " + parts[1].strip() + ", which the release does not have");
            } else if (!listed.hex().equals(parts[0].toLowerCase())) {
                problems.add(release + "/" + parts[1].strip() + " does not match its line in " + file);
            }
        }
        return problems;
    }

    private static List<String> signature(ReleaseStore store, String release, String data, String signature, List<byte[]> keys)
            throws IOException {
        if (keys.isEmpty()) {
            return List.of(release + "/" + signature + " cannot be checked: the spec signs with no key this run can read");
        }
        byte[] sig;
        try (InputStream in = store.openAsset(release, signature)) {
            sig = in.readAllBytes();
        }
        for (byte[] key : keys) {
            try (InputStream in = store.openAsset(release, data)) {
                if (OpenPgpVerifier.verifyDetached(new ByteArrayInputStream(key), in, new ByteArrayInputStream(sig)).valid()) {
                    return List.of();
                }
            }
        }
        return List.of(release + "/" + signature + " is not a valid signature of " + data + " by the release's signing key");
    }

    /** The public halves of the keys the plan's sign jobs use. */
    private static List<byte[]> publicKeys(JobContext context) throws IOException {
        List<byte[]> keys = new ArrayList<>();
        for (Action.Sign sign : context.plan().actions(Action.Sign.class).toList()) {
            OpenPgpKey key = SigningKeys.read(context, sign.key(), sign.passphrase());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            key.exportPublicKey(out);
            keys.add(out.toByteArray());
        }
        return keys;
    }
}
