package dev.cutter.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cutter.content.Digest;
import dev.cutter.testing.Tools;
import java.io.ByteArrayInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OS packages Cutter's SBOM names for an image, against those cdxgen (CycloneDX's own
 * generator, through the trivy it ships) finds in the same file system: this machine's real dpkg
 * database (hundreds of packages, epochs, architecture {@code all}, {@code +} and {@code ~} in
 * versions), plus a package removed with its configuration kept, which neither may list. Both
 * lists must be the same, package by package: name, version (epoch included) and architecture.
 */
@Tag("e2e")
class CdxgenComparisonTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tmp;

    @Test
    void cutterAndCdxgenListTheSameDebianPackages() throws Exception {
        Path cdxgen = Tools.npm("cdxgen");
        String status = Files.readString(Path.of("/var/lib/dpkg/status")).stripTrailing() + "\n\n"
                + "Package: cutter-removed-example\nStatus: deinstall ok config-files\nPriority: optional\nSection: misc\n"
                + "Architecture: amd64\nVersion: 1:2.0~rc1-3+deb12u1\nDescription: removed, its conffiles kept\n";
        Map<String, String> files = new LinkedHashMap<>();
        files.put("etc/os-release", Files.readString(Path.of("/etc/os-release")));
        files.put("etc/debian_version", Files.readString(Path.of("/etc/debian_version")));
        files.put("var/lib/dpkg/status", status);

        // Cutter: the image's layer read as a release reads it, the SBOM written as a release writes it
        Contents contents = new Contents(p -> false);
        contents.layer(new ByteArrayInputStream(SbomTest.layer(files)), "application/vnd.oci.image.layer.v1.tar+gzip");
        byte[] bom = CycloneDx.write(new Sbom("image", "127.0.0.1:5000/app", "1.0.0", Digest.sha256(new byte[0]),
                Instant.EPOCH, new Sbom.Tool("cutter", "test"), List.of(), contents.packages(), contents.distribution()));
        Set<String> cutter = debPackages(JSON.readTree(bom), false); // Cutter's components carry no trivy id

        // cdxgen on the same file system, unpacked
        Path rootfs = tmp.resolve("rootfs");
        for (var file : files.entrySet()) {
            Files.createDirectories(rootfs.resolve(file.getKey()).getParent());
            Files.writeString(rootfs.resolve(file.getKey()), file.getValue());
        }
        Path out = tmp.resolve("cdxgen.json");
        ProcessBuilder run = new ProcessBuilder(cdxgen.toString(), "-t", "rootfs", "--no-recurse", "-o", out.toString(), rootfs.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("cdxgen.log").toFile());
        run.environment().put("CDXGEN_IN_CONTAINER", "true"); // tests run as root in CI; cdxgen refuses root elsewhere
        run.environment().put("FETCH_LICENSE", "false");
        Process process = run.start();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("cdxgen finished").isTrue();
        assertThat(process.exitValue()).as(Files.readString(tmp.resolve("cdxgen.log"))).isZero();
        JsonNode theirBom = JSON.readTree(out.toFile());
        Set<String> theirs = debPackages(theirBom, true);

        assertThat(cutter).hasSizeGreaterThan(100).doesNotContain("cutter-removed-example 1:2.0~rc1-3+deb12u1 amd64");
        assertThat(cutter).containsExactlyInAnyOrderElementsOf(theirs);
        // the one difference, explained: cdxgen also lists each package's source package (dpkg's Source field,
        // else the package's own name) as a component of its own; Cutter lists what is installed
        Set<String> sources = new TreeSet<>();
        for (String stanza : status.split("\n\n")) {
            String name = field(stanza, "Package");
            String source = field(stanza, "Source");
            if (name != null && !stanza.contains("Status: deinstall")) {
                sources.add(source == null ? name : source.split(" ")[0]);
            }
        }
        assertThat(debPackages(theirBom, false)).isNotEmpty()
                .allSatisfy(p -> assertThat(sources).as("cdxgen's extra component %s is a source package", p).contains(p.split(" ")[0]));
    }

    private static String field(String stanza, String name) {
        for (String line : stanza.split("\n")) {
            if (line.startsWith(name + ": ")) {
                return line.substring(name.length() + 2).strip();
            }
        }
        return null;
    }

    /**
     * {@code name version arch} of the {@code pkg:deb} components, the epoch put back into the
     * version as dpkg writes it: with {@code installed}, those trivy found installed (they carry its
     * package id), else the others cdxgen adds.
     */
    private static Set<String> debPackages(JsonNode bom, boolean installed) {
        Set<String> out = new TreeSet<>();
        for (JsonNode component : bom.path("components")) {
            String purl = component.path("purl").asText();
            boolean trivys = false;
            for (JsonNode property : component.path("properties")) {
                trivys |= property.path("name").asText().equals("aquasecurity:trivy:PkgID");
            }
            if (!purl.startsWith("pkg:deb/") || trivys != installed) {
                continue;
            }
            int at = purl.indexOf('@');
            int query = purl.indexOf('?', at);
            String name = purl.substring(purl.lastIndexOf('/', at) + 1, at);
            String version = decode(purl.substring(at + 1, query < 0 ? purl.length() : query));
            Map<String, String> qualifiers = new LinkedHashMap<>();
            if (query >= 0) {
                for (String pair : purl.substring(query + 1).split("&")) {
                    String[] kv = pair.split("=", 2);
                    qualifiers.put(kv[0], kv.length > 1 ? decode(kv[1]) : "");
                }
            }
            Optional<String> epoch = Optional.ofNullable(qualifiers.get("epoch")).filter(e -> !e.isEmpty() && !e.equals("0"));
            if (epoch.isPresent() && !version.contains(":")) {
                version = epoch.get() + ":" + version;
            }
            out.add(decode(name) + " " + version + " " + qualifiers.getOrDefault("arch", ""));
        }
        return out;
    }

    /** Percent-decoding as the purl spec has it: a {@code +} is a plus, not a space. */
    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
