package dev.cutter.kinds.attest;

import dev.cutter.content.Digest;
import dev.cutter.ledger.Artifact;
import dev.cutter.plan.Action;
import dev.cutter.plan.Plan;
import dev.cutter.run.JobContext;
import dev.cutter.run.jobs.DistFiles;
import dev.cutter.run.jobs.SigningKeys;
import dev.cutter.sign.OpenPgpKey;
import dev.cutter.sign.OpenPgpSigner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * OpenPGP signatures of the SBOM and provenance files, where the release signs its files with
 * OpenPGP today: each {@code signs:} entry whose {@code artifacts} take in archives or packages
 * ({@code archives}, {@code packages}, {@code all}) signs the attestations of those files too,
 * with its key, as {@code FILE.asc} beside each (detached, armored, as its sign job writes them).
 * An entry that signs only the checksums file signs no attestation: the checksums file lists none.
 */
final class OpenPgpSignatures {
    /** What a {@code signs:} entry's {@code artifacts} must name for it to sign the files' attestations. */
    static final Set<String> SIGNING_FILES = Set.of("archives", "packages", "all");

    private OpenPgpSignatures() {}

    /** The {@code sign} jobs of the plan whose signatures cover the attestations. */
    static List<Action.Sign> signers(Plan plan) {
        return plan.actions(Action.Sign.class).filter(s -> SIGNING_FILES.contains(s.artifacts())).toList();
    }

    /** Detached signatures of {@code files} by each key that signs the release's files, as artifacts of kind {@code signature}. */
    static List<Artifact> sign(JobContext context, List<Artifact> files) throws IOException {
        List<Artifact> out = new ArrayList<>();
        for (Action.Sign sign : signers(context.plan())) {
            OpenPgpKey key = SigningKeys.read(context, sign.key(), sign.passphrase());
            OpenPgpSigner signer = SigningKeys.signer(context, key);
            for (Artifact file : files) {
                Path path = context.projectDir().resolve(file.path());
                Path signature = path.resolveSibling(path.getFileName() + ".asc");
                DistFiles.staging(context).write(signature, temp -> {
                    try (InputStream in = Files.newInputStream(path); OutputStream o = Files.newOutputStream(temp)) {
                        signer.detach(in, o);
                    }
                });
                out.add(context.artifact(AttestJob.signatureKind(file), file.name() + ".asc", context.projectDir().relativize(signature),
                        Digest.sha256(signature), Files.size(signature)));
            }
        }
        return out;
    }
}
