package dev.cutter.oci;

/**
 * Media types of the OCI image spec, and the Docker schema 2 ones Cutter reads from registries.
 * Which of them Cutter carries, and how, is told in docs/images.md.
 */
public final class MediaTypes {
    private MediaTypes() {}

    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";
    public static final String OCI_LAYER_TAR_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String OCI_LAYER_TAR_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
    public static final String OCI_LAYER_NONDISTRIBUTABLE_TAR = "application/vnd.oci.image.layer.nondistributable.v1.tar";
    public static final String OCI_LAYER_NONDISTRIBUTABLE_TAR_GZIP = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
    public static final String OCI_LAYER_NONDISTRIBUTABLE_TAR_ZSTD = "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd";
    /** The config of an artifact that has none, and the blob {@code {}}. */
    public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";
    /** An in-toto statement, as buildx's attestation manifests carry them as layers. */
    public static final String IN_TOTO = "application/vnd.in-toto+json";

    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String DOCKER_LAYER_TAR_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public static final String DOCKER_FOREIGN_LAYER_TAR = "application/vnd.docker.image.rootfs.foreign.diff.tar";
    public static final String DOCKER_FOREIGN_LAYER_TAR_GZIP = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

    /** A single-platform image manifest, OCI or Docker. */
    public static boolean isManifest(String mediaType) {
        return OCI_MANIFEST.equals(mediaType) || DOCKER_MANIFEST.equals(mediaType);
    }

    /** A multi-platform index, OCI or Docker. */
    public static boolean isIndex(String mediaType) {
        return OCI_INDEX.equals(mediaType) || DOCKER_MANIFEST_LIST.equals(mediaType);
    }

    /**
     * A layer that is not to be uploaded (the image spec's non-distributable layers, Docker's
     * foreign ones): told by its media type alone, as the spec says, not by whether it has
     * {@code urls}. Its blob goes only where its source has it.
     */
    public static boolean isNonDistributable(String mediaType) {
        return mediaType.startsWith("application/vnd.oci.image.layer.nondistributable.")
                || mediaType.startsWith("application/vnd.docker.image.rootfs.foreign.");
    }
}
