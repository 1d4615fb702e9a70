package dev.cutter.pkg.deb;

import dev.cutter.testing.TestStaging;
import dev.cutter.pkg.PackageFile;
import dev.cutter.pkg.PackageMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Small packages for tests: metadata with a binary, a config file and a postinst, written by {@link DebWriter}. */
public final class SampleDebs {
    public static final Instant SOURCE_DATE = Instant.parse("2025-01-02T03:04:05Z");

    private SampleDebs() {}

    /** Metadata of a tiny package whose files live under {@code sources} (created there). */
    public static PackageMetadata metadata(Path sources, String name, String version, String arch) {
        try {
            Path dir = Files.createDirectories(sources.resolve(name + "-" + version.replace(':', '_') + "-" + arch));
            Path bin = Files.writeString(dir.resolve(name), "#!/bin/sh\necho " + name + " " + version + "\n");
            Path conf = Files.writeString(dir.resolve(name + ".conf"), "greeting = hello\n");
            Path doc = Files.write(dir.resolve("README"), ("The " + name + " package, version " + version + ".\n")
                    .repeat(40).getBytes(StandardCharsets.UTF_8));
            Path postinst = Files.writeString(dir.resolve("postinst"), "#!/bin/sh\nset -e\nexit 0\n");
            return new PackageMetadata(name, version, "", arch, "the " + name + " test tool",
                    "Prints its name.\n\nBuilt by Cutter's tests:\n  an indented line stays verbatim.",
                    Optional.of("Cutter Tests <tests@example.org>"), Optional.of("https://example.org/" + name),
                    Optional.of("MIT"), Optional.of("utils"),
                    Map.of("depends", List.of("libc6 (>= 2.31)", "adduser | passwd"), "provides", List.of(name + "-tool")),
                    List.of(new PackageFile("/usr/bin/" + name, bin, 0755, false),
                            new PackageFile("/etc/" + name + "/" + name + ".conf", conf, 0644, true),
                            new PackageFile("/usr/share/doc/" + name + "/README", doc, 0644, false)),
                    Map.of("postinstall", postinst), SOURCE_DATE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code name_version_arch.deb} into {@code directory} and returns it. */
    public static Path write(Path directory, String name, String version, String arch) {
        try {
            PackageMetadata metadata = metadata(directory.resolve(".sources"), name, version, arch);
            Path deb = directory.resolve(DebWriter.fileName(metadata));
            new DebWriter().write(metadata, deb, TestStaging.in(directory.resolve(".sources")));
            return deb;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
