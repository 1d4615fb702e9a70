package dev.cutter.kinds.archive;

import dev.cutter.spec.Entry;
import dev.cutter.spec.Location;
import dev.cutter.spec.MatrixSpec;
import dev.cutter.spec.Spec.FileSpec;
import dev.cutter.spec.Template;
import java.util.List;
import java.util.Optional;

/** A reproducible tar.gz, tar.zst or zip of file selections ({@code archives:}), per matrix cell. */
public record ArchiveSpec(String id, MatrixSpec matrix, String format, Template name, List<FileSpec> files,
        Optional<Integer> installOrder, List<String> needs, Location location) implements Entry {}
