package dev.backendteam.dbarchitect.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Severity;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The api-data role's rules as data ({@code api/api-rules.yaml}): id, severity, message and fix per rule. */
public record ApiRules(Map<String, Rule> rules, String sensitive) {
    private static final String RESOURCE = "/dev/backendteam/dbarchitect/api/api-rules.yaml";
    private static ApiRules standard;

    public record Rule(String id, Severity severity, String message, String fix) {
    }

    public static synchronized ApiRules standard() {
        if (standard == null) {
            try (InputStream in = ApiRules.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + RESOURCE);
                }
                JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(in);
                Map<String, Rule> rules = new LinkedHashMap<>();
                for (JsonNode r : root.path("rules")) {
                    rules.put(r.path("id").asText(), new Rule(r.path("id").asText(),
                            Severity.valueOf(r.path("severity").asText().toUpperCase(Locale.ROOT)),
                            r.path("message").asText(), r.path("fix").asText()));
                }
                standard = new ApiRules(Map.copyOf(rules), root.path("sensitive").asText());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return standard;
    }

    public Finding finding(String id, String object, String detail) {
        Rule r = rules.get(id);
        if (r == null) {
            throw new IllegalArgumentException("no api rule " + id);
        }
        return new Finding(id, r.severity(), object, fill(r.message(), object, detail), fill(r.fix(), object, detail),
                null);
    }

    private static String fill(String text, String object, String detail) {
        return text.replace("{object}", object == null ? "" : object).replace("{detail}", detail == null ? ""
                : detail);
    }
}
