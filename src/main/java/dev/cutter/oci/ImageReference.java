package dev.cutter.oci;

/**
 * An image as {@code cutter copy} names it, in skopeo's spelling: {@code oci:DIR:TAG} for a local
 * layout, else {@code [docker://]HOST[:PORT]/PATH(:TAG|@DIGEST)} for a registry.
 */
public record ImageReference(boolean layout, String location, String reference) {
    public static ImageReference parse(String text) {
        if (text.startsWith("oci:")) {
            String rest = text.substring(4);
            int colon = rest.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("'" + text + "' names no tag; write oci:DIR:TAG");
            }
            return new ImageReference(true, rest.substring(0, colon), rest.substring(colon + 1));
        }
        String rest = normalize(text.startsWith("docker://") ? text.substring("docker://".length()) : text);
        int at = rest.indexOf('@');
        if (at > 0) {
            return new ImageReference(false, rest.substring(0, at), rest.substring(at + 1));
        }
        int slash = rest.indexOf('/');
        int colon = rest.lastIndexOf(':');
        if (slash <= 0 || colon <= slash) {
            throw new IllegalArgumentException("'" + text + "' is not HOST/PATH:TAG, HOST/PATH@DIGEST or oci:DIR:TAG");
        }
        return new ImageReference(false, rest.substring(0, colon), rest.substring(colon + 1));
    }

    /**
     * Docker's short names: {@code debian:bookworm} is {@code docker.io/library/debian:bookworm},
     * and Docker Hub's API lives at {@code registry-1.docker.io}.
     */
    static String normalize(String name) {
        int slash = name.indexOf('/');
        String first = slash < 0 ? "" : name.substring(0, slash);
        boolean hasHost = slash > 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"));
        String withHost = hasHost ? name : "docker.io/" + (slash < 0 ? "library/" + name : name);
        return withHost.startsWith("docker.io/") ? "registry-1.docker.io/" + withHost.substring("docker.io/".length()) : withHost;
    }

    public Repository repository() {
        return Repository.parse(location);
    }

    /** Where this reference's image is: its layout directory, or its repository through {@code registry}. */
    public ImageTarget target(RegistryClient registry) {
        return layout ? new LayoutTarget(java.nio.file.Path.of(location)) : new RegistryTarget(registry, repository());
    }

    @Override
    public String toString() {
        return layout ? "oci:" + location + ":" + reference
                : location + (reference.startsWith("sha256:") ? "@" : ":") + reference;
    }
}
