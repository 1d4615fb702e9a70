package dev.cutter.kinds.image;

import dev.cutter.kinds.build.BuildSection;
import dev.cutter.spec.Cell;
import dev.cutter.spec.Fields;
import dev.cutter.spec.Matrix;
import dev.cutter.spec.MatrixSpec;
import dev.cutter.spec.PlaceholderScope;
import dev.cutter.spec.EntrySection;
import dev.cutter.spec.SectionChecks;
import dev.cutter.spec.SectionReader;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code images:}: images per platform, their index, where it is pushed and with which tags. */
public final class ImageSection extends EntrySection<ImageSpec> {
    public static final ImageSection SECTION = new ImageSection();

    private ImageSection() {
        super("images");
    }

    @Override
    protected ImageSpec entry(SectionReader reader, Fields f, String id, String at) {
        MatrixSpec matrix = reader.matrix(f);
        Optional<dev.cutter.spec.Template> dockerfile = f.template("dockerfile");
        if (dockerfile.isPresent()) { // the Dockerfile says what the image is; Cutter's assembly keys would be ignored
            for (String key : List.of("from", "files", "layers", "entrypoint", "cmd", "env", "workdir", "user", "compression")) {
                f.node(key).ifPresent(n -> f.problem(n.location(), f.child(key), "'" + key + "' does not go with 'dockerfile'"
                        + " (the Dockerfile says how the image is made); write it in the Dockerfile, or drop 'dockerfile'"));
            }
        } else {
            for (String key : List.of("context", "target", "args", "builder")) {
                f.node(key).ifPresent(n -> f.problem(n.location(), f.child(key), "'" + key + "' is for Dockerfile builds;"
                        + " add dockerfile: PATH, or drop '" + key + "'"));
            }
        }
        List<Map<String, dev.cutter.spec.Template>> layers = f.list("layers", (n, a) -> {
            Fields layer = reader.top().open(n, a);
            Map<String, dev.cutter.spec.Template> files = imagePaths(layer, "files");
            layer.finish();
            return files;
        });
        ImageSpec image = new ImageSpec(id, matrix, f.template("from", "scratch"), dockerfile, f.template("context"),
                f.template("target"), f.templateMap("args"), f.choice("builder", "auto", List.of("auto", "buildah", "docker")),
                layers, imagePaths(f, "files"),
                f.templates("entrypoint"), f.templates("cmd"), f.env("env"), f.template("workdir"),
                f.template("user"), f.templateMap("labels"), f.templateMap("annotations"),
                f.node("push").flatMap(n -> reader.repositoryRef(f, n, f.child("push"))),
                f.list("tags", (n, a) -> reader.tag(f, n, a)), f.strings("needs"),
                f.choice("compression", "gzip", List.of("gzip", "zstd")), f.location());
        if (image.push().isEmpty()) {
            f.problem(f.location(), at, "missing required field 'push'; add e.g. push: local/" + (id.isEmpty() ? "my-app" : id)
                    + " (a registry declared under registries: and a path)");
        }
        if (image.tags().isEmpty()) {
            f.problem(f.location(), at, "declares no tags; add e.g. tags: [\"{version}\", latest]");
        }
        return image;
    }

    /**
     * Paths in the image to project files or directories: absolute and normalised, or {@code /}
     * itself for a directory laid in as the image's root (a rootfs).
     */
    private static Map<String, dev.cutter.spec.Template> imagePaths(Fields f, String key) {
        Map<String, dev.cutter.spec.Template> files = f.templateMap(key);
        f.keyLocations(key).forEach((path, location) -> {
            boolean normal = path.equals("/") || path.startsWith("/") && path.chars().noneMatch(c -> c < 0x20 || c == 0x7f)
                    && java.util.Arrays.stream(path.substring(1).split("/", -1)).noneMatch(s -> s.isEmpty() || s.equals(".")
                            || s.equals(".."));
            if (!normal) {
                f.problem(location, f.child(key) + "." + path, "'" + path + "' is not an absolute, normalized path in the image;"
                        + " write it from the root without '.', '..', '//' or a trailing '/', e.g. /usr/local/bin/my-app"
                        + " (or / for a directory that is the whole root)");
            }
        });
        return files;
    }

    @Override
    protected void check(ImageSpec image, String at, SectionChecks checks) {
        PlaceholderScope scope = checks.scope(image.matrix(), at);
        if (!image.matrix().hasPlatforms()) {
            checks.problem(image.location(), at, "an image needs platforms; add e.g. platforms: [linux/amd64, linux/arm64]");
        }
        checks.check(image.from(), scope, false);
        image.dockerfile().ifPresent(t -> checks.check(t, scope, false));
        image.context().ifPresent(t -> checks.check(t, scope, false));
        image.target().ifPresent(t -> checks.check(t, scope, false));
        image.args().values().forEach(t -> checks.check(t, scope, false));
        image.layers().forEach(layer -> layer.values().forEach(t -> checks.check(t, scope, false)));
        image.files().values().forEach(t -> checks.check(t, scope, false));
        image.entrypoint().forEach(t -> checks.check(t, scope, false));
        image.cmd().forEach(t -> checks.check(t, scope, false));
        image.env().values().forEach(t -> checks.check(t, scope, false));
        image.workdir().ifPresent(t -> checks.check(t, scope, false));
        image.user().ifPresent(t -> checks.check(t, scope, false));
        image.labels().values().forEach(t -> checks.check(t, scope, false));
        PlaceholderScope perIndex = scope.without(MatrixSpec.PLATFORM);
        image.annotations().values().forEach(t -> checks.check(t, perIndex, false)); // one index for all platforms
        image.push().ifPresent(ref -> checks.repository(ref, perIndex, at + ".push"));
        image.tags().forEach(tag -> checks.check(tag.template(), perIndex, false));
        BuildSection.checkNeeds(image.needs(), at, image.location(), checks);
    }

    @Override
    public void checkFiles(List<ImageSpec> images, SectionChecks checks) {
        for (var image : images) {
            for (Cell cell : Matrix.expand(image.matrix())) {
                image.layers().forEach(layer -> layer.values().forEach(t -> checks.projectFile(t, cell)));
                image.files().values().forEach(t -> checks.projectFile(t, cell));
                image.dockerfile().ifPresent(t -> DockerfileChecks.check(image, t, cell, checks));
            }
        }
    }

    @Override
    public List<SectionChecks.MatrixEntry> matrices(List<ImageSpec> images) { // the platforms are an axis: one job per platform
        return matrices(images, ImageSpec::matrix, i -> Matrix.count(i.matrix()));
    }

    @Override
    public Map<String, List<String>> selectable(List<ImageSpec> images) {
        return selectableAs("image", images);
    }
}
