package dev.cutter.spec;

import dev.cutter.spec.MatrixSpec.AxisValue;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** OCI platform strings ({@code os/arch[/variant]}) as matrix values with their fields. */
public final class Platforms {
    private Platforms() {}

    /** A problem with {@code text} as a platform, or empty when it is one. */
    public static Optional<String> problem(String text) {
        String[] parts = text.split("/", -1);
        if (parts.length < 2 || parts.length > 3) {
            return Optional.of("'" + text + "' is not a platform; write os/arch or os/arch/variant, e.g. linux/amd64 or linux/arm/v7");
        }
        for (String part : parts) {
            if (!part.matches("[a-z0-9_]+")) {
                return Optional.of("'" + text + "' is not a platform: '" + part
                        + "' must be lower-case letters and digits; write e.g. linux/arm64");
            }
        }
        return Optional.empty();
    }

    public static AxisValue value(String text) {
        String[] parts = text.split("/", -1);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("os", parts.length > 0 ? parts[0] : "");
        fields.put("arch", parts.length > 1 ? parts[1] : "");
        fields.put("variant", parts.length > 2 ? parts[2] : "");
        return new AxisValue(text, fields);
    }
}
