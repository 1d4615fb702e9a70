package dev.cutter.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cutter.content.Digest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SbomTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static final String DPKG_STATUS = """
            Package: bash
            Status: install ok installed
            Priority: required
            Architecture: amd64
            Version: 5.2.15-2+b2
            Description: GNU Bourne Again SHell
             Bash is an sh-compatible command language interpreter.

            Package: removed-one
            Status: deinstall ok config-files
            Architecture: amd64
            Version: 1.0

            Package: libc6
            Status: install ok installed
            Architecture: amd64
            Version: 2.36-9+deb12u4
            """;

    static final String APK_INSTALLED = """
            C:Q1abc=
            P:musl
            V:1.2.5-r0
            A:x86_64
            L:MIT

            P:busybox
            V:1.36.1-r29
            A:x86_64
            L:GPL-2.0-only
            """;

    /** A layer as tar.gz: {@code entries} path → content (null: a directory). */
    static byte[] layer(Map<String, String> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (var e : entries.entrySet()) {
                if (e.getValue() == null) {
                    tar.putArchiveEntry(new TarArchiveEntry(e.getKey().endsWith("/") ? e.getKey() : e.getKey() + "/"));
                } else {
                    byte[] bytes = e.getValue().getBytes(StandardCharsets.UTF_8);
                    TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                    entry.setSize(bytes.length);
                    tar.putArchiveEntry(entry);
                    tar.write(bytes);
                }
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    static String sha(String algorithm, String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void listsTheFilesCutterAddedByDigestAndThePackagesOfTheFinalFileSystem() throws Exception {
        var base = new java.util.LinkedHashMap<String, String>();
        base.put("etc/", null);
        base.put("etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12\"\nID=debian\nVERSION_ID=\"12\"\n");
        base.put("var/lib/dpkg/status", DPKG_STATUS);
        base.put("var/lib/dpkg/status.d/tzdata", "Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\n");
        base.put("lib/apk/db/installed", APK_INSTALLED);
        base.put("opt/app/old.txt", "old");
        var added = new java.util.LinkedHashMap<String, String>();
        added.put("./opt/app/", null);
        added.put("./opt/app/.wh.old.txt", "");
        added.put("./opt/app/bin", "the binary");
        added.put("./lib/apk/db/.wh.installed", "");

        Contents contents = new Contents(p -> p.startsWith("opt/app/"));
        contents.layer(new ByteArrayInputStream(layer(base)), "application/vnd.oci.image.layer.v1.tar+gzip");
        contents.layer(new ByteArrayInputStream(layer(added)), "application/vnd.oci.image.layer.v1.tar+gzip");

        assertThat(contents.files()).extracting(SbomFile::path).containsExactly("opt/app/bin"); // old.txt whited out
        SbomFile bin = contents.files().get(0);
        assertThat(bin.sha256().hex()).isEqualTo(sha("SHA-256", "the binary"));
        assertThat(bin.sha1()).isEqualTo(sha("SHA-1", "the binary"));
        assertThat(bin.size()).isEqualTo(10);
        assertThat(contents.distribution()).contains("debian");
        assertThat(contents.packages()).extracting(p -> p.manager() + " " + p.name() + " " + p.version())
                .containsExactly("deb bash 5.2.15-2+b2", "deb libc6 2.36-9+deb12u4", "deb tzdata 2024a-0+deb12u1"); // apk's db whited out
        assertThat(contents.packages().get(0).purl(contents.distribution()))
                .isEqualTo("pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64");
    }

    @Test
    void readsApkDatabases() {
        assertThat(PackageDatabases.apk(APK_INSTALLED, "lib/apk/db/installed"))
                .extracting(p -> p.name() + "@" + p.version() + " " + p.architecture().orElse("") + " " + p.license().orElse(""))
                .containsExactly("musl@1.2.5-r0 x86_64 MIT", "busybox@1.36.1-r29 x86_64 GPL-2.0-only");
    }

    @Test
    void parsesADatabaseSharedByImagesOnce() throws Exception {
        byte[] status = (DPKG_STATUS + "\nPackage: shared-" + System.nanoTime() + "\nStatus: install ok installed\nVersion: 1\n")
                .getBytes(StandardCharsets.UTF_8);
        List<OsPackage> first = PackageDatabases.read("var/lib/dpkg/status", status);
        assertThat(PackageDatabases.read("var/lib/dpkg/status", status.clone())).isSameAs(first);
        assertThat(PackageDatabases.read("var/lib/dpkg/status.d/base", status)).isNotSameAs(first)
                .allMatch(p -> p.database().equals("/var/lib/dpkg/status.d/base"));
        byte[] other = (new String(status, StandardCharsets.UTF_8) + "\nPackage: more\nVersion: 2\n").getBytes(StandardCharsets.UTF_8);
        assertThat(PackageDatabases.read("var/lib/dpkg/status", other)).hasSize(first.size() + 1);
    }

    static Sbom sample() throws Exception {
        return new Sbom("image", "127.0.0.1:5000/app", "1.2.3",
                Digest.sha256("manifest".getBytes(StandardCharsets.UTF_8)), Instant.parse("2024-05-01T10:00:00Z"),
                new Sbom.Tool("cutter", "1.0"),
                List.of(new SbomFile("opt/app/bin", Digest.sha256("x".getBytes(StandardCharsets.UTF_8)), sha("SHA-1", "x"), 1)),
                List.of(new OsPackage("deb", "bash", "5.2.15-2+b2", Optional.of("amd64"), Optional.empty(), "/var/lib/dpkg/status"),
                        new OsPackage("apk", "musl", "1.2.5-r0", Optional.of("x86_64"), Optional.of("MIT"), "/lib/apk/db/installed")),
                Optional.of("debian"));
    }

    @Test
    void cycloneDxIsValidAgainstTheOfficialSchema(@TempDir Path tmp) throws Exception {
        byte[] bom = CycloneDx.write(sample());
        assertThat(Schemas.cycloneDxProblems(Schemas.file(tmp, "bom.json", bom))).isEmpty();
        JsonNode root = JSON.readTree(bom);
        assertThat(root.path("specVersion").asText()).isEqualTo("1.6");
        assertThat(root.path("metadata").path("component").path("type").asText()).isEqualTo("container");
        assertThat(root.path("components")).extracting(c -> c.path("bom-ref").asText())
                .containsExactly("file:opt/app/bin", "pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64",
                        "pkg:apk/debian/musl@1.2.5-r0?arch=x86_64");
        assertThat(CycloneDx.write(sample())).isEqualTo(bom); // reproducible

        // the validator can fail: a document with a wrong field is refused
        ((com.fasterxml.jackson.databind.node.ObjectNode) root).put("version", "one");
        assertThat(Schemas.cycloneDxProblems(Schemas.file(tmp, "broken.json", JSON.writeValueAsBytes(root))))
                .contains("must be integer");
    }

    @Test
    void spdxIsValidAgainstTheOfficialSchema(@TempDir Path tmp) throws Exception {
        byte[] doc = Spdx.write(sample());
        assertThat(Schemas.spdxProblems(Schemas.file(tmp, "sbom.spdx.json", doc))).isEmpty();
        JsonNode root = JSON.readTree(doc);
        assertThat(root.path("spdxVersion").asText()).isEqualTo("SPDX-2.3");
        assertThat(root.path("files").get(0).path("checksums")).extracting(c -> c.path("algorithm").asText())
                .containsExactly("SHA1", "SHA256");
        assertThat(root.path("relationships")).hasSize(4); // describes, and contains two packages and one file

        ((com.fasterxml.jackson.databind.node.ObjectNode) root).remove("SPDXID");
        assertThat(Schemas.spdxProblems(Schemas.file(tmp, "broken.json", JSON.writeValueAsBytes(root))))
                .contains("SPDXID");
    }
}
