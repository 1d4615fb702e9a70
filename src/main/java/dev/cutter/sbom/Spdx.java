package dev.cutter.sbom;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutter.content.JsonDocument;
import java.time.format.DateTimeFormatter;

/**
 * An {@link Sbom} as SPDX 2.3 JSON: the document describes the subject (a package with its
 * digest), which CONTAINS each listed file (SHA-1, as SPDX 2.3 requires, and SHA-256) and each OS
 * package (with its package URL as an external reference).
 */
public final class Spdx {
    /** Its media type, also the OCI artifact type of an SBOM attached to an image. */
    public static final String MEDIA_TYPE = "application/spdx+json";

    private Spdx() {}

    public static byte[] write(Sbom sbom) {
        ObjectNode root = JsonDocument.object();
        root.put("spdxVersion", "SPDX-2.3");
        root.put("dataLicense", "CC0-1.0");
        root.put("SPDXID", "SPDXRef-DOCUMENT");
        root.put("name", sbom.name() + "@" + sbom.version());
        root.put("documentNamespace", "https://spdx.org/spdxdocs/cutter-" + sbom.kind() + "-" + sbom.uuid());
        ObjectNode creation = root.putObject("creationInfo");
        creation.put("created", DateTimeFormatter.ISO_INSTANT.format(sbom.created()));
        creation.putArray("creators").add("Tool: " + sbom.tool().name() + "-" + sbom.tool().version());
        root.putArray("documentDescribes").add("SPDXRef-Subject");
        ArrayNode packages = root.putArray("packages");
        ObjectNode subject = packages.addObject();
        subject.put("SPDXID", "SPDXRef-Subject");
        subject.put("name", sbom.name());
        subject.put("versionInfo", sbom.version());
        subject.put("downloadLocation", "NOASSERTION");
        subject.put("filesAnalyzed", false);
        checksum(subject.putArray("checksums"), "SHA256", sbom.digest().hex());
        subject.put("primaryPackagePurpose", sbom.kind().equals("image") ? "CONTAINER" : sbom.kind().equals("package")
                ? "INSTALL" : "ARCHIVE");
        ArrayNode relationships = JsonDocument.array();
        relate(relationships, "SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-Subject");
        int n = 0;
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (OsPackage pkg : sbom.packages()) {
            String purl = pkg.purl(sbom.distribution());
            if (!seen.add(purl)) {
                continue;
            }
            String id = "SPDXRef-Package-" + (++n);
            ObjectNode p = packages.addObject();
            p.put("SPDXID", id);
            p.put("name", pkg.name());
            p.put("versionInfo", pkg.version());
            p.put("downloadLocation", "NOASSERTION");
            p.put("filesAnalyzed", false);
            p.put("licenseDeclared", "NOASSERTION");
            pkg.license().ifPresent(l -> p.put("comment", "license as the package database states it: " + l));
            p.put("sourceInfo", "listed by " + pkg.database());
            ObjectNode ref = p.putArray("externalRefs").addObject();
            ref.put("referenceCategory", "PACKAGE-MANAGER");
            ref.put("referenceType", "purl");
            ref.put("referenceLocator", purl);
            relate(relationships, "SPDXRef-Subject", "CONTAINS", id);
        }
        ArrayNode files = root.putArray("files");
        int f = 0;
        for (SbomFile file : sbom.files()) {
            String id = "SPDXRef-File-" + (++f);
            ObjectNode o = files.addObject();
            o.put("SPDXID", id);
            o.put("fileName", "./" + file.path());
            ArrayNode sums = o.putArray("checksums");
            checksum(sums, "SHA1", file.sha1());
            checksum(sums, "SHA256", file.sha256().hex());
            relate(relationships, "SPDXRef-Subject", "CONTAINS", id);
        }
        root.set("relationships", relationships);
        return JsonDocument.indented(root);
    }

    private static void checksum(ArrayNode sums, String algorithm, String value) {
        ObjectNode sum = sums.addObject();
        sum.put("algorithm", algorithm);
        sum.put("checksumValue", value);
    }

    private static void relate(ArrayNode relationships, String from, String type, String to) {
        ObjectNode r = relationships.addObject();
        r.put("spdxElementId", from);
        r.put("relationshipType", type);
        r.put("relatedSpdxElement", to);
    }
}
