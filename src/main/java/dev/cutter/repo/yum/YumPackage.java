package dev.cutter.repo.yum;

import dev.cutter.pkg.rpm.Evr;
import java.util.List;
import java.util.Optional;

/**
 * One package of a yum repository: everything {@code primary.xml}, {@code filelists.xml} and
 * {@code other.xml} say about it, read once from the .rpm's headers. Absent text fields are empty
 * strings, as createrepo_c writes them.
 *
 * @param location the file's path relative to the repository root, with {@code /} separators
 * @param sha256 the checksum of the whole .rpm, its {@code pkgid}
 * @param fileTime the .rpm's modification time (epoch seconds), {@code time file}
 */
public record YumPackage(
        String name,
        String arch,
        long epoch,
        String version,
        String release,
        String location,
        String sha256,
        long packageSize,
        long fileTime,
        long buildTime,
        long installedSize,
        long archiveSize,
        long headerStart,
        long headerEnd,
        String summary,
        String description,
        String packager,
        String url,
        String license,
        String vendor,
        String group,
        String buildHost,
        String sourceRpm,
        List<Dependency> provides,
        List<Dependency> requires,
        List<Dependency> conflicts,
        List<Dependency> obsoletes,
        List<Dependency> suggests,
        List<Dependency> enhances,
        List<Dependency> recommends,
        List<Dependency> supplements,
        List<PackagedFile> files,
        List<Changelog> changelogs) {

    public YumPackage {
        provides = List.copyOf(provides);
        requires = List.copyOf(requires);
        conflicts = List.copyOf(conflicts);
        obsoletes = List.copyOf(obsoletes);
        suggests = List.copyOf(suggests);
        enhances = List.copyOf(enhances);
        recommends = List.copyOf(recommends);
        supplements = List.copyOf(supplements);
        files = List.copyOf(files);
        changelogs = List.copyOf(changelogs);
    }

    /**
     * A dependency as repository metadata writes it.
     *
     * @param flags EQ, LT, LE, GT, GE, or empty for an unversioned dependency
     * @param epoch empty when unversioned
     * @param release empty when the version has none
     * @param pre whether it is needed by an install-time scriptlet (requires only)
     */
    public record Dependency(String name, String flags, String epoch, String version, String release, boolean pre) {}

    /** @param type "" for a file, "dir" or "ghost" */
    public record PackagedFile(String path, String type) {}

    public record Changelog(String author, long date, String text) {}

    public Evr evr() {
        return new Evr(epoch, version, Optional.of(release));
    }

    /** {@code name-version-release.arch.rpm}: the file name a package added from outside gets under Packages/. */
    public String fileName() {
        return name + "-" + version + "-" + release + "." + arch + ".rpm";
    }

    /** {@code name-[epoch:]version-release.arch}, as dnf names packages. */
    public String nevra() {
        return name + "-" + evr() + "." + arch;
    }
}
