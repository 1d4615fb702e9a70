package dev.cutter.oci;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.cutter.content.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A small two-platform image built from scratch, as a release would: sources, layers, config, index. */
final class Sample {
    static final Instant CREATED = Instant.parse("2024-05-01T12:00:00Z");
    static final long MTIME = CREATED.getEpochSecond();
    static final List<Platform> PLATFORMS = List.of(Platform.parse("linux/amd64"), Platform.parse("linux/arm64"));

    record Built(List<Layer> layers, List<AssembledImage> images, Descriptor index) {
        AssembledImage image(String platform) {
            return images.stream().filter(i -> i.platform().toString().equals(platform)).findFirst().orElseThrow();
        }
    }

    private Sample() {}

    static ImageConfig config() {
        return new ImageConfig(List.of("/usr/local/bin/app"), List.of("--serve"),
                Map.of("TZ", "UTC", "APP_HOME", "/etc/app"), Optional.of("/etc/app"), Optional.of("65532"),
                Map.of("org.opencontainers.image.version", "1.0.0", "org.opencontainers.image.title", "app"), CREATED);
    }

    /**
     * Writes the sources of {@code platform} into {@code dir}: an executable, a config and a readme,
     * with the given mtime and the non-executable files with {@code plainPermissions}.
     */
    static Map<String, Path> sources(Path dir, String platform, FileTime mtime, String plainPermissions) throws IOException {
        Files.createDirectories(dir);
        Path app = write(dir.resolve("app"), "#!/bin/sh\necho app for " + platform + "\n", "rwxr-x---", mtime);
        Path config = write(dir.resolve("config.yaml"), "listen: :8080\n", plainPermissions, mtime);
        Path readme = write(dir.resolve("README"), "read me\n", plainPermissions, mtime);
        Path defaults = write(dir.resolve("defaults.conf"), "x=1\n", plainPermissions, mtime);
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("/usr/local/bin/app", app);
        files.put("/etc/app/config.yaml", config);
        files.put("/etc/app-b/README", readme);
        files.put("/etc/app.conf", defaults);
        return files;
    }

    static Path write(Path file, String content, String permissions, FileTime mtime) throws IOException {
        Files.writeString(file, content, UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        Files.setLastModifiedTime(file, mtime);
        return file;
    }

    /** One layer per platform, an image per platform, and the index, all into {@code blobDir}. */
    static Built build(Path sourceDir, Path blobDir, FileTime sourceMtime, String plainPermissions) throws IOException {
        List<Layer> layers = new ArrayList<>();
        List<AssembledImage> images = new ArrayList<>();
        for (Platform platform : PLATFORMS) {
            Map<String, Path> files = sources(sourceDir.resolve(platform.architecture()), platform.toString(),
                    sourceMtime, plainPermissions);
            Layer layer = LayerBuilder.fromFiles(files, Map.of("/etc/app/config.yaml", 0640), MTIME, blobDir);
            layers.add(layer);
            images.add(ImageAssembler.assemble(platform, List.of(layer), config(), blobDir));
        }
        Descriptor index = ImageAssembler.index(images, Map.of("org.opencontainers.image.version", "1.0.0"), blobDir);
        return new Built(layers, images, index);
    }

    static Digest digestOf(Path file) throws IOException {
        return Digest.sha256(file);
    }
}
