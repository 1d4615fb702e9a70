package dev.cutter.run;

import java.util.Optional;

/** A change a job made to a target: what, where, and the digest before and after. */
public record Effect(String kind, String target, Optional<String> before, String after) {}
