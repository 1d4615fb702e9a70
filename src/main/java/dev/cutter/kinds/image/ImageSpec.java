package dev.cutter.kinds.image;

import dev.cutter.spec.Entry;
import dev.cutter.spec.Location;
import dev.cutter.spec.MatrixSpec;
import dev.cutter.spec.Spec.RepositoryRef;
import dev.cutter.spec.Spec.TagSpec;
import dev.cutter.spec.Template;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A container image ({@code images:}): per platform, either assembled without a daemon (a base
 * image plus file layers and config) or built from a {@code dockerfile} by an external
 * {@code builder} with its {@code context}, {@code target} and build {@code args}; all platforms of
 * one cell of the other axes form one multi-arch index. {@code layers} are file layers laid below
 * {@code files}' own, in order.
 */
public record ImageSpec(String id, MatrixSpec matrix, Template from, Optional<Template> dockerfile, Optional<Template> context,
        Optional<Template> target, Map<String, Template> args, String builder, List<Map<String, Template>> layers,
        Map<String, Template> files, List<Template> entrypoint, List<Template> cmd, Map<String, Template> env,
        Optional<Template> workdir, Optional<Template> user, Map<String, Template> labels,
        Map<String, Template> annotations, Optional<RepositoryRef> push, List<TagSpec> tags, List<String> needs,
        String compression, Location location) implements Entry {}
