package dev.cutter.kinds.packages;

import dev.cutter.spec.Entry;
import dev.cutter.spec.Location;
import dev.cutter.spec.MatrixSpec;
import dev.cutter.spec.Template;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A .deb and/or .rpm built from files and metadata, per platform ({@code packages:}). */
public record PackageSpec(String id, MatrixSpec matrix, List<String> formats, Template name,
        Template description, Optional<Template> maintainer, Optional<Template> homepage,
        Optional<Template> license, Optional<Template> section, Map<String, List<Template>> relations,
        Map<String, Template> files, Map<String, Template> configFiles, Map<String, Template> scripts,
        Optional<Template> signKey, Optional<Template> signPassphrase, List<String> needs, Location location) implements Entry {}
