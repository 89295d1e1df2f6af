package dev.backendteam.orchestrator.engine;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The example phrasings of each flow ({@code flow-examples.yaml}): the reference set a {@link TaskMatcher} uses. */
public record FlowExamples(Map<String, List<String>> flows) {

    public static final String RESOURCE = "flow-examples.yaml";

    public FlowExamples {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        flows.forEach((flow, examples) -> {
            List<String> kept = examples == null ? List.of()
                    : examples.stream().map(String::strip).filter(e -> !e.isEmpty()).toList();
            if (kept.isEmpty()) {
                throw new IllegalArgumentException("flow '" + flow + "' has no examples");
            }
            copy.put(flow, kept);
        });
        flows = Collections.unmodifiableMap(copy);
    }

    /** Refuses examples of a flow the catalogue does not have (a typo would silently never route). */
    public FlowExamples checkedAgainst(FlowCatalog catalog) {
        flows.keySet().stream().filter(f -> !catalog.knows(f)).findFirst().ifPresent(f -> {
            throw new IllegalArgumentException(RESOURCE + " names unknown flow '" + f + "'");
        });
        return this;
    }

    public int size() {
        return flows.values().stream().mapToInt(List::size).sum();
    }

    public static FlowExamples load(InputStream yaml) {
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory())
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        try (yaml) {
            return mapper.readValue(yaml, FlowExamples.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    public static FlowExamples fromClasspath() {
        InputStream in = FlowExamples.class.getClassLoader().getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException(RESOURCE + " is missing from the classpath");
        }
        return load(in);
    }
}
