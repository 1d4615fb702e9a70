package dev.cutter.run.jobs;

import dev.cutter.run.JobContext;
import dev.cutter.run.JobFailure;
import dev.cutter.sign.OpenPgpKey;
import dev.cutter.sign.OpenPgpSigner;
import dev.cutter.sign.SigningException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/** A signing key named by secret references, read only when a job signs. */
public final class SigningKeys {
    private SigningKeys() {}

    public static OpenPgpKey read(JobContext context, String keyReference, Optional<String> passphraseReference) throws IOException {
        String armored = context.secrets().resolve(keyReference);
        char[] passphrase = passphraseReference.map(p -> context.secrets().resolve(p)).orElse("").toCharArray();
        try (InputStream in = new ByteArrayInputStream(armored.getBytes(StandardCharsets.UTF_8))) {
            return OpenPgpKey.read(in, passphrase);
        } catch (SigningException e) {
            throw JobFailure.failed(e.getMessage());
        }
    }

    /**
     * A signer whose signatures are made "at" the source date: the same files give the same
     * signature bytes, so a resumed release re-signs to exactly what a published release holds
     * (never before the key existed: verifiers refuse a signature older than its key).
     */
    public static OpenPgpSigner signer(JobContext context, OpenPgpKey key) {
        return new OpenPgpSigner(key, clock(context, key));
    }

    /** The source date as a signature time, or the key's creation when the key is newer. */
    public static Clock clock(JobContext context, OpenPgpKey key) {
        Instant when = context.sourceDate().isAfter(key.created()) ? context.sourceDate() : key.created();
        return Clock.fixed(when, ZoneOffset.UTC);
    }
}
