package dev.cutter.repo.apt;

import dev.cutter.pkg.deb.DebFields;
import dev.cutter.pkg.deb.DebianVersion;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A binary package as an apt index lists it: its control fields ({@code control}, deb822 text in
 * apt-ftparchive's field order, without the repository's fields), where it lies relative to the
 * repository root ({@code filename}, e.g. {@code pool/main/h/hello/hello_1.0_amd64.deb}), and the
 * size and hex digests of the .deb file.
 *
 * @param source the source package name (the control's Source field without its version, else the package name)
 */
public record AptPackage(String name, String version, String architecture, String source, String filename, long size,
        String md5, String sha1, String sha256, String sha512, String control) {

    /** The fields apt's indexes add to the control stanza; a .deb's own control must not carry them. */
    static final List<String> INDEX_FIELDS = List.of("Filename", "Size", "MD5sum", "SHA1", "SHA256", "SHA512");

    /** Index order: name, then dpkg's version order, then architecture and file name. */
    public static final Comparator<AptPackage> ORDER = Comparator.comparing(AptPackage::name)
            .thenComparing((a, b) -> DebianVersion.compare(a.version(), b.version()))
            .thenComparing(AptPackage::architecture).thenComparing(AptPackage::filename);

    public AptPackage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(filename, "filename");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(control, "control");
    }

    /** The same package, relocated in the repository. */
    public AptPackage withFilename(String newFilename) {
        return new AptPackage(name, version, architecture, source, newFilename, size, md5, sha1, sha256, sha512, control);
    }

    /**
     * The conventional pool location: {@code pool/<component>/<l or libX>/<source>/<name>_<version
     * without epoch>_<arch>.deb}, as dak, reprepro and aptly lay it out.
     */
    public String poolPath(String component) {
        String prefix = source.startsWith("lib") && source.length() > 3 ? source.substring(0, 4) : source.substring(0, 1);
        return "pool/" + component + "/" + prefix + "/" + source + "/" + name + "_"
                + DebianVersion.parse(version).withoutEpoch() + "_" + architecture + ".deb";
    }

    /** The Packages stanza: control fields plus Filename, Size and digests, in apt-ftparchive's order. */
    String indexStanza() {
        return Stanza.parse(control, filename).with(INDEX_FIELDS, java.util.Arrays.asList(filename, Long.toString(size), md5, sha1,
                sha256, sha512)).canonical().toString();
    }

    /** Reads a Packages stanza back (the repository's state and published indexes), without touching the .deb. */
    static AptPackage fromIndex(Stanza stanza, String source) {
        String filename = require(stanza, "Filename", source);
        String size = require(stanza, "Size", source);
        Stanza control = stanza.without(INDEX_FIELDS);
        try {
            return of(control, filename, Long.parseLong(size), stanza.get("MD5sum"), stanza.get("SHA1"),
                    require(stanza, "SHA256", source), stanza.get("SHA512"), source);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + ": " + filename + " has a bad Size '" + size + "'", e);
        }
    }

    static AptPackage of(Stanza control, String filename, long size, String md5, String sha1, String sha256,
            String sha512, String where) {
        String name = check(DebFields.Field.PACKAGE, require(control, "Package", where), where);
        String version = check(DebFields.Field.VERSION, require(control, "Version", where), where);
        String arch = check(DebFields.Field.ARCHITECTURE, require(control, "Architecture", where), where);
        String source = control.get("Source");
        if (source == null || source.isBlank()) {
            source = name;
        } else {
            int space = source.indexOf(' '); // "Source: name (version)" when the versions differ
            source = check(DebFields.Field.SOURCE, space > 0 ? source.substring(0, space) : source, where);
        }
        return new AptPackage(name, version, arch, source, filename, size, md5, sha1, sha256, sha512,
                control.canonical().toString());
    }

    /** Every field that becomes part of a pool path is held to its grammar before it does (law 10). */
    private static String check(DebFields.Field field, String value, String where) {
        DebFields.fieldProblem(field, value).ifPresent(problem -> {
            throw new IllegalArgumentException(where + ": " + problem);
        });
        return value;
    }

    private static String require(Stanza stanza, String field, String where) {
        String value = stanza.get(field);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(where + ": the control stanza has no " + field + " field");
        }
        return value;
    }
}
