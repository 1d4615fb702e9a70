package dev.cutter.plan;

/**
 * Package managers name architectures and versions their own way: Debian says amd64/arm64,
 * RPM x86_64/aarch64; RPM forbids '-' in a version, so a pre-release goes with '~', which both
 * order before the release (1.2.0~rc1 &lt; 1.2.0).
 */
public final class PackageArch {
    /** The RPM release of a package built by Cutter: one build per version (a rebuild is a new version). */
    public static final String RPM_RELEASE = "1";

    private PackageArch() {}

    public static String of(String format, String goArch) {
        if (format.equals("deb")) {
            return switch (goArch) {
                case "386" -> "i386";
                case "arm" -> "armhf";
                case "ppc64le" -> "ppc64el";
                default -> goArch;
            };
        }
        return switch (goArch) {
            case "amd64" -> "x86_64";
            case "arm64" -> "aarch64";
            case "386" -> "i686";
            case "arm" -> "armv7hl";
            case "all" -> "noarch";
            default -> goArch;
        };
    }

    public static String version(String format, String version) {
        return version.replace('-', '~');
    }
}
