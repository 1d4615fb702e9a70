import dev.cutter.pkg.PackageFile;
import dev.cutter.pkg.PackageMetadata;
import dev.cutter.pkg.deb.DebWriter;
import dev.cutter.pkg.rpm.RpmWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes N small packages (two files each: a script and a text) for the repository benchmarks:
 * {@code java -cp target/cutter.jar bench/GeneratePackages.java deb|rpm N DIR [FIRST [VERSIONS]]}.
 * Package number i is version {@code i % VERSIONS} of tool {@code i / VERSIONS} (VERSIONS 1 by
 * default: every package its own tool), as a repository collects several versions of each.
 */
public class GeneratePackages {
    public static void main(String[] args) throws Exception {
        String format = args[0];
        int count = Integer.parseInt(args[1]);
        Path dir = Files.createDirectories(Path.of(args[2]));
        int first = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        int versions = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        Path work = Files.createTempDirectory("bench-files");
        dev.cutter.content.Staging staging = dev.cutter.content.Staging.forProcess(work); // made there, moved into dir
        for (int i = first; i < first + count; i++) {
            int tool = i / versions;
            String name = "bench-tool-" + tool;
            String version = versions == 1 ? "1." + (i % 7) + "." + (i % 13) : "1." + (i % versions) + "." + (tool % 13);
            Path script = Files.writeString(work.resolve(name), "#!/bin/sh\necho " + name + " " + "x".repeat(i % 512) + "\n");
            Path doc = Files.writeString(work.resolve(name + ".txt"), ("documentation of " + name + "\n").repeat(1 + i % 40));
            PackageMetadata m = new PackageMetadata(name, version, format.equals("rpm") ? "1" : "",
                    format.equals("rpm") ? "x86_64" : "amd64", "Benchmark tool " + i,
                    "Benchmark tool " + i + ", one of many generated for the repository benchmarks.",
                    Optional.of("Bench <bench@cutter.invalid>"), Optional.of("https://cutter.invalid/"), Optional.of("MIT"),
                    Optional.of("utils"), tool > 0 ? Map.of("depends", List.of("bench-tool-" + (tool - 1))) : Map.of(),
                    List.of(new PackageFile("/usr/bin/" + name, script, 0755, false),
                            new PackageFile("/usr/share/doc/" + name + "/README", doc, 0644, false)),
                    Map.of(), Instant.parse("2026-01-02T03:04:05Z"));
            if (format.equals("deb")) {
                new DebWriter().write(m, dir.resolve(DebWriter.fileName(m)), staging);
            } else {
                new RpmWriter().write(m, dir, staging);
            }
        }
        staging.close();
    }
}
