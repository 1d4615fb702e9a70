package dev.cutter.repo.yum;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * Writes primary.xml, filelists.xml and other.xml in createrepo_c's layout: same elements,
 * attributes, order and indentation, so tools that diff or parse them see nothing unusual. Each
 * is written from the index file a package at a time.
 */
final class MetadataXml {
    private MetadataXml() {}

    /** The files primary.xml lists, as createrepo_c chooses them: under /etc/, in a bin/ directory, or sendmail. */
    static boolean isPrimaryFile(String path) {
        return path.startsWith("/etc/") || path.contains("bin/") || path.equals("/usr/lib/sendmail");
    }

    static void primary(YumState.Reader packages, Writer out) throws IOException {
        out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<metadata xmlns=\"http://linux.duke.edu/metadata/common\""
                + " xmlns:rpm=\"http://linux.duke.edu/metadata/rpm\" packages=\"" + packages.count() + "\">\n");
        StringBuilder b = new StringBuilder(4096);
        for (YumPackage p; (p = packages.next()) != null; ) {
            b.setLength(0);
            b.append("<package type=\"rpm\">\n");
            b.append("  <name>").append(text(p.name())).append("</name>\n");
            b.append("  <arch>").append(text(p.arch())).append("</arch>\n");
            version(b, p);
            b.append("  <checksum type=\"sha256\" pkgid=\"YES\">").append(p.sha256()).append("</checksum>\n");
            element(b, "  ", "summary", p.summary());
            element(b, "  ", "description", p.description());
            element(b, "  ", "packager", p.packager());
            element(b, "  ", "url", p.url());
            b.append("  <time file=\"").append(p.fileTime()).append("\" build=\"").append(p.buildTime()).append("\"/>\n");
            b.append("  <size package=\"").append(p.packageSize()).append("\" installed=\"").append(p.installedSize())
                    .append("\" archive=\"").append(p.archiveSize()).append("\"/>\n");
            b.append("  <location href=\"").append(attr(p.location())).append("\"/>\n");
            b.append("  <format>\n");
            element(b, "    ", "rpm:license", p.license());
            element(b, "    ", "rpm:vendor", p.vendor());
            element(b, "    ", "rpm:group", p.group());
            element(b, "    ", "rpm:buildhost", p.buildHost());
            element(b, "    ", "rpm:sourcerpm", p.sourceRpm());
            b.append("    <rpm:header-range start=\"").append(p.headerStart()).append("\" end=\"").append(p.headerEnd())
                    .append("\"/>\n");
            dependencies(b, "provides", p.provides());
            dependencies(b, "requires", p.requires());
            dependencies(b, "conflicts", p.conflicts());
            dependencies(b, "obsoletes", p.obsoletes());
            dependencies(b, "suggests", p.suggests());
            dependencies(b, "enhances", p.enhances());
            dependencies(b, "recommends", p.recommends());
            dependencies(b, "supplements", p.supplements());
            for (YumPackage.PackagedFile f : p.files()) {
                if (isPrimaryFile(f.path())) {
                    file(b, "    ", f);
                }
            }
            b.append("  </format>\n</package>\n");
            out.append(b);
        }
        out.write("</metadata>");
    }

    static void filelists(YumState.Reader packages, Writer out) throws IOException {
        out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<filelists xmlns=\"http://linux.duke.edu/metadata/filelists\""
                + " packages=\"" + packages.count() + "\">\n");
        StringBuilder b = new StringBuilder(4096);
        for (YumPackage p; (p = packages.next()) != null; ) {
            b.setLength(0);
            packageStart(b, p);
            for (YumPackage.PackagedFile f : p.files()) {
                file(b, "  ", f);
            }
            b.append("</package>\n");
            out.append(b);
        }
        out.write("</filelists>");
    }

    static void other(YumState.Reader packages, Writer out) throws IOException {
        out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<otherdata xmlns=\"http://linux.duke.edu/metadata/other\""
                + " packages=\"" + packages.count() + "\">\n");
        StringBuilder b = new StringBuilder(1024);
        for (YumPackage p; (p = packages.next()) != null; ) {
            b.setLength(0);
            packageStart(b, p);
            for (YumPackage.Changelog c : p.changelogs()) {
                b.append("  <changelog author=\"").append(attr(c.author())).append("\" date=\"").append(c.date())
                        .append("\">").append(text(c.text())).append("</changelog>\n");
            }
            b.append("</package>\n");
            out.append(b);
        }
        out.write("</otherdata>");
    }

    private static void packageStart(StringBuilder b, YumPackage p) {
        b.append("<package pkgid=\"").append(p.sha256()).append("\" name=\"").append(attr(p.name()))
                .append("\" arch=\"").append(attr(p.arch())).append("\">\n");
        version(b, p);
    }

    private static void version(StringBuilder b, YumPackage p) {
        b.append("  <version epoch=\"").append(p.epoch()).append("\" ver=\"").append(attr(p.version()))
                .append("\" rel=\"").append(attr(p.release())).append("\"/>\n");
    }

    private static void element(StringBuilder b, String indent, String name, String value) {
        b.append(indent).append('<').append(name).append('>').append(text(value)).append("</").append(name)
                .append(">\n");
    }

    private static void file(StringBuilder b, String indent, YumPackage.PackagedFile f) {
        b.append(indent).append("<file");
        if (!f.type().isEmpty()) {
            b.append(" type=\"").append(f.type()).append('"');
        }
        b.append('>').append(text(f.path())).append("</file>\n");
    }

    private static void dependencies(StringBuilder b, String kind, List<YumPackage.Dependency> deps) {
        if (deps.isEmpty()) {
            return;
        }
        b.append("    <rpm:").append(kind).append(">\n");
        for (YumPackage.Dependency d : deps) {
            b.append("      <rpm:entry name=\"").append(attr(d.name())).append('"');
            if (!d.flags().isEmpty()) {
                b.append(" flags=\"").append(d.flags()).append('"');
            }
            if (!d.epoch().isEmpty()) {
                b.append(" epoch=\"").append(attr(d.epoch())).append('"');
            }
            if (!d.version().isEmpty()) {
                b.append(" ver=\"").append(attr(d.version())).append('"');
            }
            if (!d.release().isEmpty()) {
                b.append(" rel=\"").append(attr(d.release())).append('"');
            }
            if (d.pre()) {
                b.append(" pre=\"1\"");
            }
            b.append("/>\n");
        }
        b.append("    </rpm:").append(kind).append(">\n");
    }

    static String text(String value) {
        return escape(value, false);
    }

    static String attr(String value) {
        return escape(value, true);
    }

    /** Escapes markup and drops characters XML 1.0 cannot hold (control characters), which libxml2 would refuse. */
    private static String escape(String value, boolean attribute) {
        StringBuilder b = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            String replacement = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> attribute ? "&quot;" : null;
                default -> (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0xfffe || c == 0xffff ? "" : null;
            };
            if (replacement != null && b == null) {
                b = new StringBuilder(value.length() + 16).append(value, 0, i);
            }
            if (b != null) {
                if (replacement != null) {
                    b.append(replacement);
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? value : b.toString();
    }
}
