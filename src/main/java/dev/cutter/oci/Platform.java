package dev.cutter.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/** The platform an image runs on, written {@code os/architecture[/variant]} as in {@code linux/arm/v7}. */
public record Platform(String os, String architecture, Optional<String> variant) {
    private static final Pattern PART = Pattern.compile("[a-z0-9_.-]+");

    public Platform {
        Objects.requireNonNull(variant, "variant");
        check(os, "os");
        check(architecture, "architecture");
        variant.ifPresent(v -> check(v, "variant"));
    }

    public Platform(String os, String architecture) {
        this(os, architecture, Optional.empty());
    }

    /** Parses {@code os/arch} or {@code os/arch/variant}. */
    public static Platform parse(String text) {
        String[] parts = text.split("/", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("'" + text
                    + "' is not a platform; write os/arch or os/arch/variant, e.g. linux/amd64 or linux/arm/v7");
        }
        return new Platform(parts[0], parts[1], parts.length == 3 ? Optional.of(parts[2]) : Optional.empty());
    }

    private static void check(String part, String field) {
        if (part == null || !PART.matcher(part).matches()) {
            throw new IllegalArgumentException("platform " + field + " '" + part
                    + "' must be lower-case letters, digits, '_', '.' or '-', e.g. linux/arm64");
        }
    }

    @Override
    public String toString() {
        return os + "/" + architecture + variant.map(v -> "/" + v).orElse("");
    }

    /** Key order of the image spec: architecture, os, variant. */
    ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("architecture", architecture);
        node.put("os", os);
        variant.ifPresent(v -> node.put("variant", v));
        return node;
    }

    static Platform fromJson(JsonNode node) {
        JsonNode variant = node.get("variant");
        return new Platform(node.path("os").asText(null), node.path("architecture").asText(null),
                variant == null || variant.asText().isEmpty() ? Optional.empty() : Optional.of(variant.asText()));
    }
}
