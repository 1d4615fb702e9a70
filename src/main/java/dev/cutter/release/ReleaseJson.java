package dev.cutter.release;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cutter.content.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * {@code release.json}: a release's metadata, written byte-stable (fixed key order, two-space
 * indentation, {@code \n} line ends, a trailing newline) so that equal releases are equal files.
 *
 * <pre>{@code
 * {
 *   "project": "km",
 *   "version": "0.9-beta",
 *   "channel": "beta",
 *   "tag": "v0.9-beta",
 *   "commit": "4f1c…",            (null when unknown)
 *   "created": "2025-05-01T12:00:00Z",
 *   "prerelease": false,
 *   "assets": [
 *     {
 *       "name": "kontain.tar.gz",
 *       "digest": "sha256:…",
 *       "size": 1234,
 *       "installOrder": 1          (null when the order does not matter)
 *     }
 *   ]
 * }
 * }</pre>
 *
 * The release's name is not in the file: it is the name of the entry that holds it (a directory,
 * a forge release's title). Forge stores keep the same JSON in a hidden block of the release's
 * notes, since a forge has no place for Cutter's metadata.
 */
public final class ReleaseJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();
    private static final JsonFactory FACTORY = MAPPER.getFactory();
    private static final DefaultPrettyPrinter PRINTER = new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"));

    private ReleaseJson() {}

    public static byte[] write(ReleaseInfo release) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            json.setPrettyPrinter(PRINTER.createInstance());
            json.writeStartObject();
            json.writeStringField("project", release.project());
            json.writeStringField("version", release.version());
            json.writeStringField("channel", release.channel());
            json.writeStringField("tag", release.tag());
            json.writeStringField("commit", release.commit().orElse(null));
            json.writeStringField("created", release.created().toString());
            json.writeBooleanField("prerelease", release.prerelease());
            json.writeArrayFieldStart("assets");
            for (AssetInfo asset : release.assets()) {
                json.writeStartObject();
                json.writeStringField("name", asset.name());
                json.writeStringField("digest", asset.digest().toString());
                json.writeNumberField("size", asset.size());
                json.writeFieldName("installOrder");
                if (asset.installOrder().isPresent()) {
                    json.writeNumber(asset.installOrder().get());
                } else {
                    json.writeNull();
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory", e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    /**
     * Reads the release called {@code name} from the bytes of {@code file}.
     *
     * @throws ReleaseException naming the file and the field when the content is not a release
     */
    static ReleaseInfo read(String name, byte[] bytes, Path file) {
        return read(name, bytes, file.toString());
    }

    /**
     * Reads the release called {@code name} from {@code bytes} found at {@code source} (what
     * messages name, such as a file or a forge release).
     *
     * @throws ReleaseException naming the source and the field when the content is not a release
     */
    public static ReleaseInfo read(String name, byte[] bytes, String source) {
        String file = source;
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw corrupt(file, "it is not JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("reading JSON from memory", e);
        }
        if (root == null || !root.isObject()) {
            throw corrupt(file, "it is not a JSON object");
        }
        Fields fields = new Fields(root, "", file);
        List<AssetInfo> assets = new ArrayList<>();
        JsonNode list = fields.required("assets");
        if (!list.isArray()) {
            throw corrupt(file, "\"assets\" is not a list");
        }
        for (int i = 0; i < list.size(); i++) {
            Fields asset = new Fields(list.get(i), "assets[" + i + "].", file);
            JsonNode order = asset.node.get("installOrder");
            if (order != null && !order.isNull() && !order.canConvertToInt()) {
                throw corrupt(file, "assets[" + i + "].installOrder is not a whole number");
            }
            try {
                assets.add(new AssetInfo(asset.text("name"), asset.digest("digest"), asset.number("size"),
                        order == null || order.isNull() ? Optional.empty() : Optional.of(order.intValue())));
            } catch (InvalidReleaseException e) {
                throw corrupt(file, "assets[" + i + "]: " + e.getMessage());
            }
        }
        JsonNode commit = root.get("commit");
        try {
            return new ReleaseInfo(name, fields.text("project"), fields.text("version"), fields.text("channel"),
                    fields.text("tag"), commit == null || commit.isNull() ? Optional.empty() : Optional.of(fields.text("commit")),
                    fields.instant("created"), assets, fields.bool("prerelease"));
        } catch (InvalidReleaseException e) {
            throw corrupt(file, e.getMessage());
        }
    }

    private static ReleaseException corrupt(String file, String problem) {
        return new ReleaseException(file + ": not a release: " + problem
                + "; Cutter writes it, so delete the release and publish it again");
    }

    /** Typed access to one JSON object's fields, with errors naming the field. */
    private record Fields(JsonNode node, String prefix, String file) {
        Fields {
            if (!node.isObject()) {
                throw corrupt(file, (prefix.isEmpty() ? "the file" : prefix.substring(0, prefix.length() - 1))
                        + " is not a JSON object");
            }
        }

        JsonNode required(String field) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                throw corrupt(file, prefix + field + " is missing");
            }
            return value;
        }

        /** The value of {@code field}, which must be {@code what} ({@code "a string"}) as {@code is} tells. */
        private JsonNode required(String field, Predicate<JsonNode> is, String what) {
            JsonNode value = required(field);
            if (!is.test(value)) {
                throw corrupt(file, prefix + field + " is not " + what);
            }
            return value;
        }

        String text(String field) {
            return required(field, JsonNode::isTextual, "a string").textValue();
        }

        long number(String field) {
            return required(field, v -> v.canConvertToLong() && v.isIntegralNumber(), "a whole number").longValue();
        }

        boolean bool(String field) {
            return required(field, JsonNode::isBoolean, "true or false").booleanValue();
        }

        Digest digest(String field) {
            try {
                return Digest.parse(text(field));
            } catch (IllegalArgumentException e) {
                throw corrupt(file, prefix + field + ": " + e.getMessage());
            }
        }

        Instant instant(String field) {
            try {
                return Instant.parse(text(field));
            } catch (DateTimeParseException e) {
                throw corrupt(file, prefix + field + " is not an ISO-8601 instant such as 2025-05-01T12:00:00Z");
            }
        }
    }
}
