package dev.cutter.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cutter.plan.PlanJson;
import dev.cutter.run.Masker;
import io.javalin.http.Context;
import java.util.Map;

/**
 * Every body the server sends goes through here, masked (law 6): the ledger already masks what
 * jobs wrote, and this catches whatever else could carry a secret the server knows of (the
 * webhook secrets, the values behind the specs' {@code ${env:…}} and {@code ${file:…}} references).
 */
final class Answers {
    static final ObjectMapper JSON = PlanJson.mapper().copy().disable(SerializationFeature.INDENT_OUTPUT);

    private final Masker masker;

    Answers(Masker masker) {
        this.masker = masker;
    }

    String mask(String text) {
        return masker.mask(text);
    }

    String toJson(Object value) {
        try {
            return mask(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("every answer serializes", e);
        }
    }

    void json(Context ctx, int status, Object value) {
        ctx.status(status).contentType("application/json").result(toJson(value));
    }

    void json(Context ctx, Object value) {
        json(ctx, 200, value);
    }

    /** {@code {"error": message}} with the status. */
    void error(Context ctx, int status, String message) {
        json(ctx, status, Map.of("error", message));
    }

    void html(Context ctx, int status, String page) {
        ctx.status(status).contentType("text/html; charset=utf-8").header("Cache-Control", "no-store").result(mask(page));
    }

    void html(Context ctx, String page) {
        html(ctx, 200, page);
    }
}
