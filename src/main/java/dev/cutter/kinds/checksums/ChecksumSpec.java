package dev.cutter.kinds.checksums;

import dev.cutter.spec.Template;

/** The checksums file over archives and packages ({@code checksums:}): its name and algorithm. */
public record ChecksumSpec(Template name, String algorithm) {}
