package dev.backendteam.contract.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.contract.Json;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A tool a model may call: one of the role's own deterministic engine calls (apply in the sandbox, lint, explain, run
 * the RLS matrix). Arguments are checked against the tool's parameters before the handler runs, so a call with missing
 * or mistyped arguments goes back to the model as an error instead of reaching the engine.
 */
public record ModelTool(ToolSpecification specification, Handler handler) {

    /** Runs the tool; its answer (text or JSON) goes back to the model. */
    public interface Handler {
        String run(JsonNode arguments);
    }

    /** Arguments the tool cannot take; the message goes back to the model. */
    public static final class ArgumentException extends RuntimeException {
        public ArgumentException(String message) {
            super(message);
        }
    }

    public static ModelTool of(String name, String description, JsonObjectSchema parameters, Handler handler) {
        return new ModelTool(ToolSpecification.builder().name(name).description(description).parameters(parameters)
                .build(), handler);
    }

    public String name() {
        return specification.name();
    }

    /** Parses and checks the model's arguments, then runs the handler. */
    public String call(String arguments) {
        JsonNode args;
        try {
            args = arguments == null || arguments.isBlank() ? Json.events().createObjectNode()
                    : Json.events().readTree(arguments);
        } catch (Exception e) {
            throw new ArgumentException("the arguments are not JSON: " + e.getMessage());
        }
        List<String> problems = problems(args);
        if (!problems.isEmpty()) {
            throw new ArgumentException(String.join("; ", problems));
        }
        return handler.run(args);
    }

    private List<String> problems(JsonNode args) {
        List<String> problems = new ArrayList<>();
        if (!args.isObject()) {
            problems.add("the arguments must be a JSON object");
            return problems;
        }
        JsonObjectSchema parameters = specification.parameters();
        if (parameters == null) {
            return problems;
        }
        Map<String, JsonSchemaElement> properties = parameters.properties();
        for (String required : parameters.required() == null ? List.<String>of() : parameters.required()) {
            if (!args.has(required) || args.get(required).isNull()) {
                problems.add("'" + required + "' is required");
            }
        }
        args.fieldNames().forEachRemaining(field -> {
            JsonSchemaElement schema = properties == null ? null : properties.get(field);
            if (schema == null) {
                problems.add("'" + field + "' is not a parameter of " + name() + " (it takes "
                        + (properties == null ? "none" : String.join(", ", properties.keySet())) + ")");
            } else if (!args.get(field).isNull() && !fits(schema, args.get(field))) {
                problems.add("'" + field + "' must be " + typeOf(schema));
            }
        });
        return problems;
    }

    private static boolean fits(JsonSchemaElement schema, JsonNode value) {
        if (schema instanceof JsonStringSchema) {
            return value.isTextual();
        }
        if (schema instanceof JsonIntegerSchema) {
            return value.isIntegralNumber();
        }
        if (schema instanceof JsonNumberSchema) {
            return value.isNumber();
        }
        if (schema instanceof JsonBooleanSchema) {
            return value.isBoolean();
        }
        if (schema instanceof JsonArraySchema) {
            return value.isArray();
        }
        return !(schema instanceof JsonObjectSchema) || value.isObject();
    }

    private static String typeOf(JsonSchemaElement schema) {
        return schema instanceof JsonStringSchema ? "a string"
                : schema instanceof JsonIntegerSchema ? "an integer"
                : schema instanceof JsonNumberSchema ? "a number"
                : schema instanceof JsonBooleanSchema ? "true or false"
                : schema instanceof JsonArraySchema ? "an array"
                : schema instanceof JsonObjectSchema ? "an object" : "of its declared type";
    }
}
