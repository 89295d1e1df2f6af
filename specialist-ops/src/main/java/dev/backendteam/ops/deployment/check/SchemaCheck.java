package dev.backendteam.ops.deployment.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.backendteam.contract.Evidence;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Validates JSON and YAML files against pinned copies of their published JSON Schemas ({@code schemas/}, from
 * SchemaStore; nothing is fetched: a {@code $ref} to another schema stays unresolved rather than downloaded).
 */
public final class SchemaCheck {
    private static final String DIR = "/dev/backendteam/ops/deployment/schemas/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private final Map<String, Schema> schemas;

    public SchemaCheck() {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);
        this.schemas = Map.of("github-workflow.json", load(registry, "github-workflow.json"),
                "package.json", load(registry, "package.json"));
    }

    private static Schema load(SchemaRegistry registry, String name) {
        try (InputStream in = SchemaCheck.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("missing schema " + DIR + name);
            }
            return registry.getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema " + name, e);
        }
    }

    /** The pinned schema a file is validated against, by its path; empty for files no schema covers. */
    public static Optional<String> schemaFor(String path) {
        if (path.matches("(.*/)?\\.github/workflows/[^/]+\\.ya?ml")) {
            return Optional.of("github-workflow.json");
        }
        if (path.equals("package.json") || path.endsWith("/package.json")) {
            return Optional.of("package.json");
        }
        return Optional.empty();
    }

    public Evidence check(String path, String content) {
        String check = "schema: " + path;
        long start = System.nanoTime();
        Optional<String> name = schemaFor(path);
        if (name.isEmpty()) {
            return Evidence.notRun(check, "no pinned schema covers " + path);
        }
        JsonNode node;
        try {
            node = (path.endsWith(".json") ? JSON : YAML).readTree(content == null ? "" : content);
        } catch (JsonProcessingException e) {
            return new Evidence(check, false, path + " does not parse: " + e.getOriginalMessage(), ms(start));
        }
        if (node == null || node.isMissingNode()) {
            return new Evidence(check, false, path + " is empty", ms(start));
        }
        List<Error> errors = schemas.get(name.get()).validate(node);
        if (errors.isEmpty()) {
            return new Evidence(check, true, "valid against SchemaStore's " + name.get() + " (pinned copy)", ms(start));
        }
        return new Evidence(check, false, errors.size() + " violation(s) of SchemaStore's " + name.get() + ": "
                + errors.stream().limit(10).map(e -> e.getInstanceLocation() + " " + e.getMessage())
                .collect(Collectors.joining("; ")), ms(start));
    }

    static long ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
