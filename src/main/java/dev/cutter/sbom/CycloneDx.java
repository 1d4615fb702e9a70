package dev.cutter.sbom;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutter.content.JsonDocument;
import java.time.format.DateTimeFormatter;

/**
 * An {@link Sbom} as CycloneDX 1.6 JSON: the subject as the metadata's component (a container
 * image, or a file), each listed file as a {@code file} component with its SHA-256, each OS
 * package as a {@code library} with its package URL. Keys in a fixed order, so equal SBOMs are
 * equal bytes.
 */
public final class CycloneDx {
    /** Its media type, also the OCI artifact type of an SBOM attached to an image. */
    public static final String MEDIA_TYPE = "application/vnd.cyclonedx+json";

    private CycloneDx() {}

    public static byte[] write(Sbom sbom) {
        ObjectNode root = JsonDocument.object();
        root.put("$schema", "http://cyclonedx.org/schema/bom-1.6.schema.json");
        root.put("bomFormat", "CycloneDX");
        root.put("specVersion", "1.6");
        root.put("serialNumber", "urn:uuid:" + sbom.uuid());
        root.put("version", 1);
        ObjectNode metadata = root.putObject("metadata");
        metadata.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(sbom.created()));
        ObjectNode tool = metadata.putObject("tools").putArray("components").addObject();
        tool.put("type", "application");
        tool.put("name", sbom.tool().name());
        tool.put("version", sbom.tool().version());
        ObjectNode subject = metadata.putObject("component");
        subject.put("type", sbom.kind().equals("image") ? "container" : sbom.kind().equals("package") ? "application" : "file");
        subject.put("bom-ref", "subject");
        subject.put("name", sbom.name());
        subject.put("version", sbom.version());
        hashes(subject, sbom.digest().hex());
        ArrayNode components = root.putArray("components");
        ArrayNode contained = JsonDocument.array();
        for (SbomFile file : sbom.files()) {
            ObjectNode c = components.addObject();
            c.put("type", "file");
            c.put("bom-ref", "file:" + file.path());
            c.put("name", file.path());
            hashes(c, file.sha256().hex());
            ObjectNode size = c.putArray("properties").addObject();
            size.put("name", "cutter:file:size");
            size.put("value", Long.toString(file.size()));
            contained.add("file:" + file.path());
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (OsPackage pkg : sbom.packages()) {
            String purl = pkg.purl(sbom.distribution());
            if (!seen.add(purl)) {
                continue; // two databases naming one package (status and status.d)
            }
            ObjectNode c = components.addObject();
            c.put("type", "library");
            c.put("bom-ref", purl);
            c.put("name", pkg.name());
            c.put("version", pkg.version());
            pkg.license().ifPresent(l -> c.putArray("licenses").addObject().putObject("license").put("name", l));
            c.put("purl", purl);
            ObjectNode found = c.putArray("properties").addObject();
            found.put("name", "cutter:package:database");
            found.put("value", pkg.database());
            contained.add(purl);
        }
        ObjectNode dependency = root.putArray("dependencies").addObject();
        dependency.put("ref", "subject");
        dependency.set("dependsOn", contained);
        return JsonDocument.indented(root);
    }

    private static void hashes(ObjectNode component, String sha256) {
        ObjectNode hash = component.putArray("hashes").addObject();
        hash.put("alg", "SHA-256");
        hash.put("content", sha256);
    }
}
