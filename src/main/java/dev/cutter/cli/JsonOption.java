package dev.cutter.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.cutter.plan.PlanJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * {@code --json}, shared by every command that can print its outcome for a script: the outcome as
 * one JSON document on standard output, and a failure as one {@code {"error":…}} object
 * (docs/cli.md#json). Enumerations are written in lower case, as the server's API writes them.
 */
final class JsonOption {
    @Option(names = "--json", description = "Print the outcome as JSON; a failure as {\"error\":{…}} (docs/cli.md#json).")
    boolean json;

    /** The command line's JSON writer: the plan's conventions, with enumerations in lower case. */
    static ObjectMapper mapper() {
        return Mapper.MAPPER;
    }

    /** {@code value} as JSON on a line of its own. */
    static void print(PrintWriter out, Object value) {
        out.println(Mapper.write(value, true));
        out.flush();
    }

    /** {@code value} as JSON under {@code --json}, else the {@code table} a person reads, printed by it. */
    void print(PrintWriter out, Object value, Runnable table) {
        if (json) {
            print(out, value);
        } else {
            table.run();
        }
    }

    /** {@code value} as JSON in one line, for output of one object per line. */
    static String line(Object value) {
        return Mapper.write(value, false);
    }

    /**
     * The writer, made when a command first writes JSON, not when a command with {@code --json} is
     * built; and every call into Jackson, so that verifying this class loads none of it: a command
     * that prints text (a repository's index) loads no Jackson at all.
     */
    private static final class Mapper {
        static final ObjectMapper MAPPER = PlanJson.mapper().copy().registerModule(new SimpleModule("lower-case enums")
                .addSerializer(Enum.class, new LowerCase())
                // a run recorded by emit holds a lease: ISO-8601 (PT6H), as java.time writes it
                .addSerializer(java.time.Duration.class, com.fasterxml.jackson.databind.ser.std.ToStringSerializer.instance));

        static String write(Object value, boolean indented) {
            try {
                return indented ? MAPPER.writeValueAsString(value)
                        : MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** {@code RUNNING} as {@code running}: one casing for states and kinds in every JSON Cutter writes. */
    @SuppressWarnings("rawtypes")
    private static final class LowerCase extends StdSerializer<Enum> {
        LowerCase() {
            super(Enum.class);
        }

        @Override
        public void serialize(Enum value, JsonGenerator out, SerializerProvider provider) throws IOException {
            out.writeString(value.name().toLowerCase(Locale.ROOT));
        }
    }
}
