package dev.cutter.pkg;

import dev.cutter.testing.TestStaging;
import dev.cutter.pkg.rpm.RpmWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Packages an attacker would hand Cutter: well-formed archives whose metadata breaks the format's
 * grammar, which dpkg-deb and rpmbuild (and Cutter's writers) refuse to make.
 */
public final class HostilePackages {
    private HostilePackages() {}

    /** A valid control stanza's fields, to be overridden. */
    public static Map<String, String> control(String name, String version, String arch) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("Package", name);
        fields.put("Version", version);
        fields.put("Architecture", arch);
        fields.put("Maintainer", "Mallory <mallory@cutter.invalid>");
        fields.put("Description", "crafted");
        return fields;
    }

    /** A .deb (ar of debian-binary, control.tar.gz, data.tar.gz) with exactly these control fields, written by hand. */
    public static Path deb(Path file, Map<String, String> fields) throws IOException {
        StringBuilder control = new StringBuilder();
        fields.forEach((k, v) -> control.append(k).append(": ").append(v).append('\n'));
        byte[] controlTar = tarGz("./control", control.toString().getBytes(StandardCharsets.UTF_8));
        byte[] dataTar = tarGz("./usr/share/doc/crafted", "crafted\n".getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream ar = new ByteArrayOutputStream();
        ar.writeBytes("!<arch>\n".getBytes(StandardCharsets.US_ASCII));
        member(ar, "debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII));
        member(ar, "control.tar.gz", controlTar);
        member(ar, "data.tar.gz", dataTar);
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, ar.toByteArray());
    }

    /**
     * An .rpm whose main header says {@code hostile} where an honest package says {@code honest}:
     * RpmWriter makes the honest package, then every occurrence of the honest text is replaced by
     * the hostile text of the same length (Cutter's reader, like createrepo_c, indexes headers
     * without checking their digests; an attacker recomputes them anyway).
     */
    public static Path rpm(Path dir, String honestName, String hostileName) throws IOException {
        if (honestName.length() != hostileName.length()) {
            throw new IllegalArgumentException("the names must be as long as each other");
        }
        Path source = Files.createDirectories(dir).resolve(".crafted-payload");
        Files.writeString(source, "crafted\n");
        PackageMetadata m = new PackageMetadata(honestName, "1.0", "1", "x86_64", "crafted", "crafted", Optional.empty(),
                Optional.empty(), Optional.of("MIT"), Optional.empty(), Map.of(),
                List.of(new PackageFile("/usr/share/doc/crafted", source, 0644, false)), Map.of(), Instant.parse("2026-01-02T03:04:05Z"));
        Path staging = Files.createDirectories(dir.resolve(".crafting"));
        Path honest = new RpmWriter().write(m, staging, TestStaging.in(staging));
        byte[] bytes = Files.readAllBytes(honest);
        byte[] from = honestName.getBytes(StandardCharsets.US_ASCII);
        byte[] to = hostileName.getBytes(StandardCharsets.US_ASCII);
        int replaced = 0;
        for (int i = 0; i + from.length <= bytes.length; i++) {
            if (java.util.Arrays.equals(bytes, i, i + from.length, from, 0, from.length)) {
                System.arraycopy(to, 0, bytes, i, to.length);
                replaced++;
            }
        }
        if (replaced == 0) {
            throw new IllegalStateException(honestName + " is not in the package's bytes");
        }
        Files.delete(honest);
        dev.cutter.content.FileTrees.delete(staging);
        Files.delete(source);
        return Files.write(dir.resolve("crafted-" + HexFormat.of().toHexDigits(hostileName.hashCode()) + ".rpm"), bytes);
    }

    private static byte[] tarGz(String name, byte[] content) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (OutputStream gz = new GzipCompressorOutputStream(buffer); TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setSize(content.length);
            entry.setMode(0100644);
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
        }
        return buffer.toByteArray();
    }

    private static void member(ByteArrayOutputStream ar, String name, byte[] data) {
        String header = String.format("%-16s%-12s%-6s%-6s%-8s%-10s`\n", name, "0", "0", "0", "100644", data.length);
        ar.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        ar.writeBytes(data);
        if (data.length % 2 != 0) {
            ar.write('\n');
        }
    }
}
