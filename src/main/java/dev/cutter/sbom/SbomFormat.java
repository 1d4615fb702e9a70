package dev.cutter.sbom;

import java.util.function.Function;

/**
 * The formats an SBOM is written in, by the names {@code attest.formats} gives them: the media type
 * it is attached to an image as, the suffix of the file written beside a file subject, the writer.
 */
public enum SbomFormat {
    CYCLONEDX(CycloneDx.MEDIA_TYPE, ".cdx.json", CycloneDx::write),
    SPDX(Spdx.MEDIA_TYPE, ".spdx.json", Spdx::write);

    private final String mediaType;
    private final String suffix;
    private final Function<Sbom, byte[]> writer;

    SbomFormat(String mediaType, String suffix, Function<Sbom, byte[]> writer) {
        this.mediaType = mediaType;
        this.suffix = suffix;
        this.writer = writer;
    }

    /** The format {@code name} ({@code spdx}, {@code cyclonedx}) stands for; the spec allows only these two. */
    public static SbomFormat named(String name) {
        return name.equals("spdx") ? SPDX : CYCLONEDX;
    }

    /** Its media type: an image's SBOM referrer's artifact type. */
    public String mediaType() {
        return mediaType;
    }

    /** What a file subject's SBOM file adds to the subject's name ({@code app.tar.gz.spdx.json}). */
    public String suffix() {
        return suffix;
    }

    /** {@code sbom} in this format. */
    public byte[] write(Sbom sbom) {
        return writer.apply(sbom);
    }
}
