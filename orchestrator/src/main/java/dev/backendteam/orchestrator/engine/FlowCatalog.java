package dev.backendteam.orchestrator.engine;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.backendteam.contract.Role;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The flows and routing rules of {@code flows.yaml} (BRIEF §2), read once. {@code exposedSchemas}: the schemas whose
 * new tables need a security step (the orchestrator appends one when a job's flow ran none).
 */
public record FlowCatalog(Map<String, Flow> flows, Map<String, RoutingRule> routing, String question,
        List<String> exposedSchemas) {

    public record Flow(String description, List<FlowStep> steps) {
    }

    public record RoutingRule(List<String> keywords, Map<String, Integer> inputs) {
        public RoutingRule {
            keywords = keywords == null ? List.of() : List.copyOf(keywords);
            inputs = inputs == null ? Map.of() : Map.copyOf(inputs);
        }
    }

    private static final Set<String> INPUT_SIGNALS = Set.of("spec", "sql", "queries", "rowCounts", "writeRates",
            "explain", "logs", "files");

    public FlowCatalog {
        flows = Map.copyOf(flows);
        routing = routing == null ? Map.of() : Map.copyOf(routing);
        exposedSchemas = exposedSchemas == null ? List.of() : List.copyOf(exposedSchemas);
        for (Map.Entry<String, Flow> flow : flows.entrySet()) {
            if (flow.getValue().steps() == null || flow.getValue().steps().isEmpty()) {
                throw new IllegalArgumentException("flow '" + flow.getKey() + "' has no steps");
            }
            for (FlowStep step : flow.getValue().steps()) {
                if (step.resolved().isEmpty()) {
                    throw new IllegalArgumentException("flow '" + flow.getKey() + "': "
                            + Role.unknown(step.service(), step.role()));
                }
            }
        }
        for (Map.Entry<String, RoutingRule> rule : routing.entrySet()) {
            if (!flows.containsKey(rule.getKey())) {
                throw new IllegalArgumentException("routing names unknown flow '" + rule.getKey() + "'");
            }
            for (String input : rule.getValue().inputs().keySet()) {
                if (!INPUT_SIGNALS.contains(input)) {
                    throw new IllegalArgumentException("routing of '" + rule.getKey() + "' names unknown input '"
                            + input + "'; known: " + INPUT_SIGNALS);
                }
            }
        }
    }

    public static FlowCatalog load(InputStream yaml) {
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory())
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        try (yaml) {
            return mapper.readValue(yaml, FlowCatalog.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the flow catalogue", e);
        }
    }

    public static FlowCatalog fromClasspath() {
        InputStream in = FlowCatalog.class.getClassLoader().getResourceAsStream("flows.yaml");
        if (in == null) {
            throw new IllegalStateException("flows.yaml is missing from the classpath");
        }
        return load(in);
    }

    public boolean knows(String flow) {
        return flows.containsKey(flow);
    }
}
