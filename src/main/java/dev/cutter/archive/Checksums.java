package dev.cutter.archive;

import dev.cutter.content.Digest;
import dev.cutter.content.Staging;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A checksums file in the format {@code sha256sum -c} reads: {@code <hex>  <name>} per line, sorted by name. */
public final class Checksums {
    private Checksums() {}

    /** Writes {@code file} over {@code files}, made whole in {@code staging} and moved into place. */
    public static ArchiveResult write(Path file, String algorithm, List<Path> files, Staging staging) throws IOException {
        Map<String, String> lines = new TreeMap<>();
        for (Path f : files) {
            String name = f.getFileName().toString();
            String hex = Digest.of(algorithm, f).hex();
            String previous = lines.put(name, hex);
            if (previous != null && !previous.equals(hex)) {
                throw new ArchiveException("two different files are named " + name + "; a checksums file lists each name once");
            }
        }
        StringBuilder text = new StringBuilder();
        lines.forEach((name, hex) -> text.append(hex).append("  ").append(name).append('\n'));
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        staging.write(file, temp -> Files.write(temp, bytes));
        return new ArchiveResult(file, Digest.sha256(bytes), bytes.length);
    }

    /** name → hex digest, as written; a malformed line is an error naming its number. */
    public static Map<String, String> read(Path file) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            var m = java.util.regex.Pattern.compile("([0-9a-f]{64}|[0-9a-f]{128}) [ *](.+)").matcher(line);
            if (!m.matches()) {
                throw new ArchiveException(file + ":" + (i + 1) + ": not a checksum line; expected '<hex>  <name>'");
            }
            out.put(m.group(2), m.group(1));
        }
        return out;
    }
}
