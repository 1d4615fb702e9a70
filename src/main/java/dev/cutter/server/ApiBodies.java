package dev.cutter.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The API's request bodies, parsed from their JSON text by pure functions: a typed request, or
 * a {@link Refusal} 400 that names the field and the type it must have. Nothing a caller sends
 * is silently ignored or guessed at (a {@code "vars": "x"} once was), and nothing else is
 * thrown (fuzzed by {@code ApiBodiesFuzzTest}).
 */
final class ApiBodies {
    /** Trailing text after the object and a key given twice are refused, not resolved by a rule the caller cannot see. */
    private static final ObjectReader READER = Answers.JSON.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** {@code POST /api/releases}. */
    record Release(Optional<String> project, Optional<String> tag, Optional<String> version, Map<String, String> vars,
            Map<String, List<String>> only) {
        Release {
            vars = Map.copyOf(vars);
            only = Map.copyOf(only);
        }
    }

    /** {@code POST /api/promotions}. */
    record Promotion(Optional<String> project, String from, String to, boolean force) {}

    private ApiBodies() {
    }

    static Release release(String json) {
        JsonNode body = object(json, "{\"project\": \"demo\", \"tag\": \"v1.2.3\"}");
        fieldsAmong(body, Set.of("project", "tag", "version", "vars", "only"));
        return new Release(text(body, "project"), text(body, "tag"), text(body, "version"), vars(body.get("vars")),
                only(body.get("only")));
    }

    static Promotion promotion(String json) {
        JsonNode body = object(json, "{\"project\": \"demo\", \"from\": \"1.7.8-rc1\", \"to\": \"1.7.8\"}");
        fieldsAmong(body, Set.of("project", "from", "to", "force"));
        String from = text(body, "from").orElseThrow(() -> new Refusal(400, "give from: the candidate's version, e.g. 1.7.8-rc1"));
        String to = text(body, "to").orElseThrow(() -> new Refusal(400, "give to: the version to publish it as, e.g. 1.7.8"));
        JsonNode force = body.get("force");
        if (force != null && !force.isNull() && !force.isBoolean()) {
            throw new Refusal(400, "force: give true or false, not " + kind(force));
        }
        return new Promotion(text(body, "project"), from, to, force != null && force.asBoolean(false));
    }

    private static JsonNode object(String json, String example) {
        JsonNode node;
        try {
            node = READER.readTree(json == null ? "" : json);
        } catch (IOException e) {
            // Jackson's message quotes the input; the first line says what and where, which is enough
            throw new Refusal(400, "the body is not JSON: " + firstLine(e.getMessage()));
        }
        if (node == null || !node.isObject()) {
            throw new Refusal(400, "send a JSON object, e.g. " + example);
        }
        return node;
    }

    private static void fieldsAmong(JsonNode body, Set<String> known) {
        Set<String> unknown = new TreeSet<>();
        body.fieldNames().forEachRemaining(f -> {
            if (!known.contains(f)) {
                unknown.add(f);
            }
        });
        if (!unknown.isEmpty()) {
            throw new Refusal(400, "unknown field" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", quoted(unknown))
                    + "; this call takes " + String.join(", ", new TreeSet<>(known)));
        }
    }

    /** A string field; absent, null and blank are all "not given". */
    private static Optional<String> text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw new Refusal(400, field + ": give a string, not " + kind(v));
        }
        return v.asText().isBlank() ? Optional.empty() : Optional.of(v.asText().strip());
    }

    private static Map<String, String> vars(JsonNode vars) {
        Map<String, String> out = new LinkedHashMap<>();
        if (vars == null || vars.isNull()) {
            return out;
        }
        if (!vars.isObject()) {
            throw new Refusal(400, "vars: give an object of strings, e.g. {\"BUILD_TAGS\": \"otlp\"}, not " + kind(vars));
        }
        for (Map.Entry<String, JsonNode> e : vars.properties()) {
            if (!e.getValue().isTextual()) {
                throw new Refusal(400, "vars." + e.getKey() + ": give a string, not " + kind(e.getValue()));
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    private static Map<String, List<String>> only(JsonNode only) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (only == null || only.isNull()) {
            return out;
        }
        if (!only.isObject()) {
            throw new Refusal(400, "only: give an object of an axis to a value or a list of values, e.g. {\"platform\": [\"linux/amd64\"]},"
                    + " not " + kind(only));
        }
        for (Map.Entry<String, JsonNode> e : only.properties()) {
            List<String> values = new ArrayList<>();
            JsonNode v = e.getValue();
            if (v.isTextual()) {
                values.add(v.asText());
            } else if (v.isArray()) {
                for (JsonNode item : v) {
                    if (!item.isTextual()) {
                        throw new Refusal(400, "only." + e.getKey() + ": give strings, not " + kind(item));
                    }
                    values.add(item.asText());
                }
            } else {
                throw new Refusal(400, "only." + e.getKey() + ": give a string or a list of strings, not " + kind(v));
            }
            out.put(e.getKey(), values);
        }
        return out;
    }

    private static String kind(JsonNode v) {
        return switch (v.getNodeType()) {
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> "a " + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static List<String> quoted(Set<String> names) {
        return names.stream().map(n -> "\"" + (n.length() > 40 ? n.substring(0, 40) + "…" : n) + "\"").toList();
    }

    private static String firstLine(String message) {
        String m = message == null ? "unreadable" : message;
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
