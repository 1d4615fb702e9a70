package dev.cutter.kinds.image;

import dev.cutter.spec.Fields;
import dev.cutter.spec.MatrixSpec;
import dev.cutter.spec.PlaceholderScope;
import dev.cutter.spec.Section;
import dev.cutter.spec.SectionChecks;
import dev.cutter.spec.SectionReader;
import dev.cutter.spec.Spec.RepositoryRef;
import dev.cutter.spec.YamlNode;
import java.util.List;
import java.util.Map;

/** {@code replicate:}: further repositories an image's publications are copied to, digest for digest. */
public final class ReplicateSection implements Section<List<ReplicateSpec>> {
    public static final ReplicateSection SECTION = new ReplicateSection();

    private ReplicateSection() {}

    @Override
    public String key() {
        return "replicate";
    }

    @Override
    public List<ReplicateSpec> read(SectionReader reader) {
        return reader.top().list(key(), (node, at) -> replicate(reader, node, at));
    }

    private static ReplicateSpec replicate(SectionReader reader, YamlNode node, String at) {
        Fields f = reader.top().open(node, at);
        String image = f.required("image", "my-image");
        List<RepositoryRef> to = f.list("to", (n, a) -> reader.repositoryRef(f, n, a).orElse(null));
        if (to.isEmpty()) {
            f.problem(f.location(), at, "replicates to nowhere; add e.g. to: [ \"public/my-org/my-app\" ]");
        }
        ReplicateSpec replicate = new ReplicateSpec(image, to, f.integer("concurrency", 0, 0), f.location());
        f.finish();
        return replicate;
    }

    @Override
    public void check(List<ReplicateSpec> replicas, SectionChecks checks) {
        var images = ImageSection.SECTION.ids(checks.spec());
        for (int i = 0; i < replicas.size(); i++) {
            var r = replicas.get(i);
            String at = "replicate[" + i + "]";
            checks.references(List.of(r.image()), images, "images", at + ".image", r.location());
            PlaceholderScope scope = ImageSection.SECTION.find(checks.spec(), r.image())
                    .map(img -> checks.scope(img.matrix(), at).without(MatrixSpec.PLATFORM))
                    .orElse(new PlaceholderScope(Map.of(), at));
            r.to().forEach(ref -> checks.repository(ref, scope, at + ".to"));
        }
    }
}
