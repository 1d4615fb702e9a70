package dev.cutter.repo.yum;

import dev.cutter.sign.OpenPgpSigner;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link YumRepository#publish} writes the repository.
 *
 * @param compression of primary, filelists and other
 * @param keep how many versions of each name and architecture stay (newest by epoch, version and
 *     release, as rpm orders them); 0 keeps all
 * @param signer signs repomd.xml into repomd.xml.asc (armored, detached); give it a fixed clock
 *     for reproducible signatures
 * @param time the revision and every timestamp in repomd.xml: same packages, same time, same bytes
 */
public record YumPublishOptions(MetadataCompression compression, int keep, Optional<OpenPgpSigner> signer,
        Instant time) {
    public YumPublishOptions {
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(time, "time");
        if (keep < 0) {
            throw new IllegalArgumentException("keep must be 0 (all) or a number of versions, not " + keep);
        }
    }

    /** gzip, every version kept, unsigned. */
    public static YumPublishOptions at(Instant time) {
        return new YumPublishOptions(MetadataCompression.GZIP, 0, Optional.empty(), time);
    }

    public YumPublishOptions withCompression(MetadataCompression compression) {
        return new YumPublishOptions(compression, keep, signer, time);
    }

    public YumPublishOptions withKeep(int keep) {
        return new YumPublishOptions(compression, keep, signer, time);
    }

    public YumPublishOptions withSigner(OpenPgpSigner signer) {
        return new YumPublishOptions(compression, keep, Optional.of(signer), time);
    }
}
