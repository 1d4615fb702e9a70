package dev.cutter.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutter.spec.KeyRecorder.Form;
import dev.cutter.spec.KeyRecorder.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JSON Schema (draft 2020-12) of {@code cutter.yaml}, made from the loader itself rather than
 * written beside it: the loader reads probe specs with a {@link KeyRecorder}, and every map it
 * opened becomes an object whose properties are the keys it asked for there (closed to others, as
 * the loader's unknown-key check is), each value in the forms it was read in. A key whose value
 * no probe gave is accepted in any form, so the schema may let through what the loader refuses,
 * never the other way round for what the probes show; {@code cutter validate} stays the judge.
 */
public final class SpecSchema {
    /** The schema's name for validators that keep several ({@code $id}); editors find it by path or URL instead. */
    public static final String ID = "urn:cutter:schema:cutter.yaml";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final KeyRecorder recorder;

    private SpecSchema(KeyRecorder recorder) {
        this.recorder = recorder;
    }

    /**
     * The schema of the specs {@code loader} reads, learned from {@code probes} (a name and the
     * text of a spec each, read as if they stood in {@code directory}).
     */
    public static ObjectNode of(SpecLoader loader, Path directory, Map<String, String> probes) {
        KeyRecorder recorder = new KeyRecorder();
        probes.forEach((name, text) -> loader.record(directory.resolve(name), text, recorder));
        ObjectNode schema = JSON.objectNode();
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.put("$id", ID);
        schema.put("title", "cutter.yaml");
        schema.put("description", "What a project ships and where it goes: Cutter's release spec (docs/spec.md). Made by"
                + " `cutter schema` from the keys Cutter's own loader reads; `cutter validate` checks everything this does not.");
        schema.setAll(new SpecSchema(recorder).object("", recorder.at(""), false));
        return schema;
    }

    private ObjectNode schema(String path) {
        Shape shape = recorder.at(path);
        if (shape == null) {
            return JSON.objectNode(); // nothing known: anything goes
        }
        List<ObjectNode> forms = new ArrayList<>();
        boolean scalar = shape.forms.contains(Form.SCALAR) && !shape.forms.contains(Form.ENUM);
        if (scalar) {
            forms.add(scalar());
        }
        if (shape.forms.contains(Form.ENUM)) {
            ArrayNode values = JSON.arrayNode();
            shape.allowed.forEach(values::add);
            forms.add(JSON.objectNode().set("enum", values));
        }
        if (shape.forms.contains(Form.BOOLEAN)) {
            forms.add(type("boolean"));
        }
        if (shape.forms.contains(Form.INTEGER)) {
            ObjectNode integer = type("integer");
            if (shape.minimum != Integer.MIN_VALUE) {
                integer.put("minimum", shape.minimum);
            }
            forms.add(integer);
        }
        if (shape.forms.contains(Form.OBJECT) || shape.forms.contains(Form.OPEN_OBJECT)) {
            forms.add(object(path, shape, shape.forms.contains(Form.OPEN_OBJECT)));
        }
        if (shape.forms.contains(Form.LIST)) {
            ObjectNode list = type("array");
            list.set("items", schema(path + "[]"));
            forms.add(list);
            Shape item = recorder.at(path + "[]");
            if (!scalar && item != null && item.forms.contains(Form.SCALAR)) {
                forms.add(scalar()); // a single value is a list of one
            }
        }
        if (shape.forms.contains(Form.MAP) && !shape.forms.contains(Form.OBJECT)) {
            ObjectNode map = type("object");
            map.set("additionalProperties", schema(path + ".*"));
            forms.add(map);
        }
        if (forms.isEmpty()) {
            return JSON.objectNode();
        }
        forms.add(type("null")); // a key with no value is a key left out
        ObjectNode any = JSON.objectNode();
        ArrayNode of = JSON.arrayNode();
        forms.forEach(of::add);
        return any.set("anyOf", of);
    }

    private ObjectNode object(String path, Shape shape, boolean open) {
        ObjectNode object = type("object");
        ObjectNode properties = JSON.objectNode();
        for (String key : shape.keys) {
            properties.set(key, schema(path.isEmpty() ? key : path + "." + key));
        }
        object.set("properties", properties);
        if (!shape.required.isEmpty()) {
            ArrayNode required = JSON.arrayNode();
            shape.required.forEach(required::add);
            object.set("required", required);
        }
        object.put("additionalProperties", open);
        return object;
    }

    private static ObjectNode scalar() {
        ObjectNode scalar = JSON.objectNode();
        scalar.set("type", JSON.arrayNode().add("string").add("number").add("boolean"));
        return scalar;
    }

    private static ObjectNode type(String type) {
        return JSON.objectNode().put("type", type);
    }

    /** {@code schema} as text: two-space indents, a newline at the end. */
    public static String text(JsonNode schema) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(schema) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree always serializes", e);
        }
    }
}
