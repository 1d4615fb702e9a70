package dev.cutter.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;

/** The plan as JSON for scripts; the format is documented in {@code docs/plan-json.md}. */
public final class PlanJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new Jdk8Module())
            .addModule(new com.fasterxml.jackson.databind.module.SimpleModule("instants")
                    .addSerializer(java.time.Instant.class, new com.fasterxml.jackson.databind.ser.std.ToStringSerializer()))
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_ABSENT, JsonInclude.Include.NON_ABSENT))
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private PlanJson() {}

    public static String write(Plan plan) {
        try {
            return MAPPER.writeValueAsString(plan) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a plan always serializes", e);
        }
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
