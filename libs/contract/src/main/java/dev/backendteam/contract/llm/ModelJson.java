package dev.backendteam.contract.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.contract.Json;

import java.util.Optional;

/**
 * A model's structured answer read as JSON: the object it wrote, alone or inside a Markdown code fence. Anything else
 * is a problem the repair loop hands back ({@link #PROBLEM}), never a guess at what the model meant.
 */
public final class ModelJson {
    public static final String PROBLEM = "answer.not-json";

    private ModelJson() {
    }

    /** The JSON object of the answer, or the problem with it. */
    public static Read read(String answer) {
        String text = answer == null ? "" : answer.strip();
        if (text.startsWith("```")) {
            int open = text.indexOf('\n');
            int close = text.lastIndexOf("```");
            text = open > 0 && close > open ? text.substring(open + 1, close).strip() : text;
        }
        try {
            JsonNode node = Json.strict().readTree(text);
            if (node == null || !node.isObject()) {
                return new Read(null, "the answer must be one JSON object, and nothing else");
            }
            return new Read(node, null);
        } catch (JsonProcessingException e) {
            return new Read(null, "the answer is not valid JSON: " + e.getOriginalMessage());
        }
    }

    public record Read(JsonNode json, String problem) {
        public Optional<RepairLoop.Problem> asProblem() {
            return problem == null ? Optional.empty() : Optional.of(new RepairLoop.Problem(PROBLEM, null, problem));
        }
    }
}
