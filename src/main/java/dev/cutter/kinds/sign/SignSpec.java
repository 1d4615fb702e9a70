package dev.cutter.kinds.sign;

import dev.cutter.spec.Entry;
import dev.cutter.spec.Location;
import dev.cutter.spec.Template;
import java.util.Optional;

/** OpenPGP signatures over the named artifacts with a key that is a secret reference ({@code signs:}). */
public record SignSpec(String id, String artifacts, Template key, Optional<Template> passphrase, String mode,
        Location location) implements Entry {}
