package dev.cutter.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The plan as JSON for scripts; the format is documented in {@code docs/plan-json.md}. */
public final class PlanJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new Jdk8Module())
            .addModule(new SimpleModule("instants").addSerializer(Instant.class, new ToStringSerializer()))
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_ABSENT, JsonInclude.Include.NON_ABSENT))
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};
    private static final TypeReference<Map<String, Integer>> GROUPS = new TypeReference<>() {};
    private static final TypeReference<List<Publication>> PUBLICATIONS = new TypeReference<>() {};

    private PlanJson() {}

    public static String write(Plan plan) {
        try {
            return MAPPER.writeValueAsString(plan) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a plan always serializes", e);
        }
    }

    /**
     * The bytes of {@link #write} (UTF-8) streamed to {@code out}, left open: a plan of 100,000
     * jobs is some 35 MB of JSON, which its digest and the run's record need not hold as a string.
     */
    public static void write(Plan plan, java.io.OutputStream out) throws java.io.IOException {
        try (com.fasterxml.jackson.core.JsonGenerator generator = MAPPER.getFactory().createGenerator(out)) {
            generator.disable(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            write(plan, generator);
        }
        out.write('\n');
    }

    /** The plan written by {@code generator}, as {@link #write} writes it: where a record nests it in its own JSON. */
    public static void write(Plan plan, com.fasterxml.jackson.core.JsonGenerator generator) throws java.io.IOException {
        MAPPER.writeValue(generator, plan);
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * A plan from its JSON, as {@link #write} wrote it (a run's recorded plan): what a later
     * command runs again exactly as it was planned, however the spec changed since.
     *
     * @throws PlanException when the JSON is not a plan of this schema
     */
    public static Plan read(JsonNode json) {
        if (json.path("schema").asInt() != Plan.SCHEMA) {
            throw new PlanException("the recorded plan has schema " + json.path("schema").asText("(none)")
                    + "; this Cutter reads schema " + Plan.SCHEMA);
        }
        try {
            List<Job> jobs = new ArrayList<>();
            for (JsonNode job : json.path("jobs")) {
                String kind = job.path("kind").asText();
                Class<? extends Action> type = Kind.named(kind).map(Kind::action).orElse(null);
                if (type == null) {
                    throw new PlanException("the recorded plan has a job of unknown kind '" + kind + "'");
                }
                jobs.add(new Job(job.path("id").asText(), kind, job.path("entry").asText(),
                        MAPPER.convertValue(job.path("needs"), STRINGS), MAPPER.convertValue(job.path("matrix"), STRING_MAP),
                        text(job, "group"), action(type, job.path("action"))));
            }
            return new Plan(Plan.SCHEMA, json.path("project").asText(), json.path("version").asText(),
                    json.path("scheme").asText(), json.path("tag").asText(), json.path("channel").asText(),
                    json.path("rolling").asBoolean(), text(json, "component"), text(json, "sha"), jobs,
                    MAPPER.convertValue(json.path("publications"), PUBLICATIONS), MAPPER.convertValue(json.path("groups"), GROUPS),
                    json.has("data") ? MAPPER.convertValue(json.path("data"), STRING_MAP) : Map.of());
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new PlanException("the recorded plan cannot be read: " + e.getMessage());
        }
    }

    /** An action of {@code type}; a fetch's {@code made} is the action of its {@code kind}, as a job of that kind has. */
    private static Action action(Class<? extends Action> type, JsonNode json) throws JsonProcessingException {
        if (type != Action.Fetch.class) {
            return MAPPER.treeToValue(json, type);
        }
        Class<? extends Action> made = Kind.named(json.path("kind").asText()).map(Kind::action).orElse(null);
        if (made == null || made == Action.Fetch.class) {
            throw new PlanException("the recorded plan fetches a file of unknown kind '" + json.path("kind").asText() + "'");
        }
        return new Action.Fetch(json.path("kind").asText(), json.path("name").asText(), json.path("digest").asText(),
                json.path("size").asLong(), MAPPER.convertValue(json.path("from"), ORIGINS), MAPPER.treeToValue(json.path("made"), made));
    }

    private static final TypeReference<List<Action.Origin>> ORIGINS = new TypeReference<>() {};

    private static Optional<String> text(JsonNode json, String field) {
        return json.hasNonNull(field) ? Optional.of(json.get(field).asText()) : Optional.empty();
    }
}
