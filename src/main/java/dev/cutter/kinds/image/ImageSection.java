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
import dev.cutter.spec.YamlNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code images:}: images per platform, their index, where it is pushed and with which tags. */
public final class ImageSection extends EntrySection<ImageSpec> {
    public static final ImageSection SECTION = new ImageSection();

    private ImageSection() {
        super("images", ImageSpec::id, ImageSpec::location);
    }

    @Override
    protected ImageSpec entry(SectionReader reader, YamlNode node, String at) {
        Fields f = reader.top().open(node, at);
        String id = reader.id(f);
        MatrixSpec matrix = reader.matrix(f);
        Optional<dev.cutter.spec.Template> dockerfile = f.template("dockerfile");
        ImageSpec image = new ImageSpec(id, matrix, f.template("from", "scratch"), dockerfile, reader.installPaths(f, "files"),
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
        f.finish();
        return image;
    }

    @Override
    protected void check(ImageSpec image, String at, SectionChecks checks) {
        Set<String> builds = BuildSection.SECTION.ids(checks.spec());
        PlaceholderScope scope = checks.scope(image.matrix(), at);
        if (!image.matrix().hasPlatforms()) {
            checks.problem(image.location(), at, "an image needs platforms; add e.g. platforms: [linux/amd64, linux/arm64]");
        }
        checks.check(image.from(), scope, false);
        image.dockerfile().ifPresent(t -> checks.check(t, scope, false));
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
        checks.references(image.needs(), builds, "builds", at + ".needs", image.location());
    }

    @Override
    public void checkFiles(List<ImageSpec> images, SectionChecks checks) {
        for (var image : images) {
            for (Cell cell : Matrix.expand(image.matrix())) {
                image.files().values().forEach(t -> checks.projectFile(t, cell));
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
