package dev.backendteam.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.nio.charset.StandardCharsets;

/**
 * The one JSON mapping of the contract. Events tolerate unknown fields (a newer producer may add some); requests
 * from users are read with {@link #strict()} so that a misspelt field is an error, not a silently dropped input,
 * and a value of the wrong JSON type ({@code "task": 5}, {@code "rowCounts": {"t": "5"}}) is an error, not a
 * silently converted one.
 */
public final class Json {
    private static final ObjectMapper EVENTS = configure(new ObjectMapper())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final ObjectMapper STRICT = configure(new ObjectMapper())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);

    static {
        refuseScalarCoercion(STRICT);
        // {"task": "a", "task": "b"}: Jackson keeps the last; a request that says two things is refused instead,
        // by the parser, so for trees and bound records alike
        STRICT.getFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    private Json() {
    }

    private static ObjectMapper configure(ObjectMapper mapper) {
        return mapper.registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }

    /**
     * Jackson converts between scalars by default: 5, 5.5 and true become strings, "5" and 5.5 become numbers,
     * 1 becomes true. A request that sends a number for a text field has made a mistake worth telling.
     */
    private static void refuseScalarCoercion(ObjectMapper mapper) {
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        for (LogicalType number : new LogicalType[] {LogicalType.Integer, LogicalType.Float}) {
            mapper.coercionConfigFor(number)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    }

    public static ObjectMapper events() {
        return EVENTS;
    }

    public static ObjectMapper strict() {
        return STRICT;
    }

    public static String write(Object value) {
        try {
            return EVENTS.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /** Reads an event; a payload that is not a valid event is a poison message, reported with the reason. */
    public static <T> T read(String payload, Class<T> type) {
        if (payload == null || payload.isBlank()) {
            throw new PoisonMessageException("empty " + type.getSimpleName() + " payload");
        }
        try {
            T value = EVENTS.readValue(payload, type);
            if (value == null) {
                throw new PoisonMessageException("empty " + type.getSimpleName() + " payload");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new PoisonMessageException("not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage());
        }
    }

    public static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
