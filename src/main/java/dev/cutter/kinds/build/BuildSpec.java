package dev.cutter.kinds.build;

import dev.cutter.spec.Entry;
import dev.cutter.spec.Location;
import dev.cutter.spec.MatrixSpec;
import dev.cutter.spec.Template;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A command that produces files ({@code builds:}). One job per matrix cell. */
public record BuildSpec(String id, MatrixSpec matrix, Template run, Map<String, Template> env, String dir,
        List<Template> inputs, List<Template> outputs, List<String> needs, Optional<Duration> timeout,
        int retries, int concurrency, Location location) implements Entry {}
