package dev.cutter.build;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Whether this machine can run a platform's programs, as a builder's {@code RUN} step must: its
 * own architecture (and those its CPU runs natively, e.g. 386 on amd64), or one for which a
 * qemu-user interpreter is registered with the kernel ({@code /proc/sys/fs/binfmt_misc/qemu-*},
 * as {@code qemu-user-static} and {@code binfmt-support} register them).
 */
public final class Emulation {
    /** OCI architecture → the name qemu and binfmt_misc give it. */
    private static final Map<String, String> QEMU = Map.ofEntries(Map.entry("amd64", "x86_64"), Map.entry("386", "i386"),
            Map.entry("arm64", "aarch64"), Map.entry("arm", "arm"), Map.entry("ppc64le", "ppc64le"),
            Map.entry("s390x", "s390x"), Map.entry("riscv64", "riscv64"), Map.entry("mips64le", "mips64el"),
            Map.entry("loong64", "loongarch64"));

    private final Path binfmt;
    private final String nativeArchitecture;

    public Emulation(Path binfmt, String nativeArchitecture) {
        this.binfmt = binfmt;
        this.nativeArchitecture = nativeArchitecture;
    }

    /** This machine: the JVM's architecture and the kernel's binfmt_misc registrations. */
    public static Emulation here() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String oci = switch (arch) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            default -> arch;
        };
        return new Emulation(Path.of("/proc/sys/fs/binfmt_misc"), oci);
    }

    /**
     * Why programs of {@code os/architecture} cannot run here, or empty when they can; the reason
     * says how to make them runnable.
     */
    public Optional<String> problem(String os, String architecture) {
        if (!os.equals("linux")) {
            return Optional.of(os + " programs cannot run on this Linux machine");
        }
        if (architecture.equals(nativeArchitecture) || (nativeArchitecture.equals("amd64") && architecture.equals("386"))
                || (nativeArchitecture.equals("arm64") && architecture.equals("arm"))) {
            return Optional.empty();
        }
        String qemu = QEMU.getOrDefault(architecture, architecture);
        Path entry = binfmt.resolve("qemu-" + qemu);
        try {
            if (Files.isRegularFile(entry) && Files.readString(entry).lines().anyMatch(l -> l.strip().equals("enabled"))) {
                return Optional.empty();
            }
        } catch (java.io.IOException e) {
            // unreadable: as good as absent
        }
        return Optional.of("this " + nativeArchitecture + " machine cannot run " + architecture + " programs (no qemu-" + qemu
                + " in " + binfmt + "); install qemu-user-static and binfmt-support (apt-get install qemu-user-static"
                + " binfmt-support), or build this platform without RUN steps");
    }
}
