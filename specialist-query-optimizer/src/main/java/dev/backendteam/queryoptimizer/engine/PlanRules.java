package dev.backendteam.queryoptimizer.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Severity;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The catalogue of plan-rules.yaml: each rule's severity, message and fix, kept as data. */
final class PlanRules {
    record Rule(String id, Severity severity, String summary, String message, String fix) {
    }

    private static final Map<String, Rule> RULES = load();

    private PlanRules() {
    }

    static Map<String, Rule> all() {
        return RULES;
    }

    static Finding finding(String id, String query, String object, String detail) {
        Rule r = RULES.get(id);
        if (r == null) {
            throw new IllegalArgumentException("no plan rule " + id);
        }
        String message = r.message().replace("{query}", query == null ? "" : query)
                .replace("{object}", object == null ? "" : object).replace("{detail}", detail == null ? "" : detail);
        return new Finding(id, r.severity(), object == null ? query : object, message, r.fix(), null);
    }

    private static Map<String, Rule> load() {
        try (InputStream in = PlanRules.class.getResourceAsStream("/dev/backendteam/queryoptimizer/engine/plan-rules.yaml")) {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(in);
            Map<String, Rule> rules = new LinkedHashMap<>();
            for (JsonNode r : root.get("rules")) {
                rules.put(r.get("id").asText(), new Rule(r.get("id").asText(), Severity.valueOf(r.get("severity")
                        .asText().toUpperCase(java.util.Locale.ROOT)), r.get("summary").asText(), r.get("message")
                        .asText(), r.get("fix").asText()));
            }
            return Map.copyOf(rules);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
