package dev.cutter.kinds.validate;

import dev.cutter.spec.Entry;
import dev.cutter.spec.Location;
import dev.cutter.spec.Template;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A check after publication ({@code validate:}); its result gates promotion.
 *
 * @param platform with {@code image}: the platform whose filesystem a {@code run} check gets unpacked
 */
public record ValidateSpec(String id, String check, Optional<Template> run, Optional<String> image, Optional<String> platform,
        Map<String, Template> env, Optional<Duration> timeout, Location location) implements Entry {}
