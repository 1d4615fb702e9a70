package dev.cutter.kinds.pin;

import dev.cutter.spec.Entry;
import dev.cutter.spec.Location;
import dev.cutter.spec.Template;
import java.util.Optional;

/**
 * An edit made before tagging ({@code pins:}): a YAML key, a go.mod require, a kustomize image or
 * a regex. {@code digestOf} names an image whose published digest (at this version) is the value,
 * instead of {@code value}.
 */
public record PinSpec(String id, Template file, String kind, String target, Optional<String> replace,
        Template value, boolean revertAfter, Optional<String> component, Optional<String> digestOf, Location location) implements Entry {}
