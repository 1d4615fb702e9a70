package dev.cutter.kinds.image;

import dev.cutter.spec.Location;
import dev.cutter.spec.MatrixSpec;
import dev.cutter.spec.Spec.RepositoryRef;
import dev.cutter.spec.Spec.TagSpec;
import dev.cutter.spec.Template;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A container image assembled without a daemon ({@code images:}): per platform, a base image plus
 * file layers and config; all platforms of one cell of the other axes form one multi-arch index.
 */
public record ImageSpec(String id, MatrixSpec matrix, Template from, Optional<Template> dockerfile,
        Map<String, Template> files, List<Template> entrypoint, List<Template> cmd, Map<String, Template> env,
        Optional<Template> workdir, Optional<Template> user, Map<String, Template> labels,
        Map<String, Template> annotations, Optional<RepositoryRef> push, List<TagSpec> tags, List<String> needs,
        String compression, Location location) {}
