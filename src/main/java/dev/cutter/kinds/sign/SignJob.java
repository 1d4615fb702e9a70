package dev.cutter.kinds.sign;

import dev.cutter.content.Digest;
import dev.cutter.ledger.Artifact;
import dev.cutter.plan.Action;
import dev.cutter.run.JobContext;
import dev.cutter.run.ActionHandler;
import dev.cutter.run.JobOutcome;
import dev.cutter.sign.OpenPgpKey;
import dev.cutter.sign.OpenPgpSigner;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import dev.cutter.run.jobs.SigningKeys;
import dev.cutter.run.jobs.DistFiles;

/**
 * Detached ASCII-armored OpenPGP signatures ({@code FILE.asc}) over the files the jobs it needs
 * produced, with a key that is a secret reference resolved only now. The signature's time is the
 * source date (SOURCE_DATE_EPOCH or the commit's), which makes signatures reproducible.
 */
public final class SignJob implements ActionHandler<Action.Sign> {
    @Override
    public JobOutcome run(JobContext context, Action.Sign sign) throws Exception {
        OpenPgpKey key = SigningKeys.read(context, sign.key(), sign.passphrase());
        OpenPgpSigner signer = SigningKeys.signer(context, key);
        Set<String> kinds = switch (sign.artifacts()) {
            case "checksums" -> Set.of("checksums");
            case "archives" -> Set.of("archive");
            case "packages" -> Set.of("package");
            default -> Set.of("checksums", "archive", "package");
        };
        List<Artifact> outputs = new ArrayList<>();
        for (Artifact output : context.artifacts().ofJobs(context.job().needs())) {
            if (!kinds.contains(output.kind())) {
                continue;
            }
            Path file = context.projectDir().resolve(output.path());
            Path signature = file.resolveSibling(file.getFileName() + ".asc");
            DistFiles.staging(context).write(signature, temp -> {
                try (InputStream in = Files.newInputStream(file); OutputStream out = Files.newOutputStream(temp)) {
                    signer.detach(in, out);
                }
            });
            outputs.add(context.artifact("signature", output.name() + ".asc", context.projectDir().relativize(signature),
                    Digest.sha256(signature), Files.size(signature)));
        }
        return JobOutcome.done("signed " + outputs.size() + " files with key " + key.fingerprint(), outputs, List.of());
    }
}
