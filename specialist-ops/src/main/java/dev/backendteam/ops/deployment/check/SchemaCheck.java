package dev.backendteam.ops.deployment.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.backendteam.contract.Evidence;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Validates JSON and YAML files against pinned copies of their published JSON Schemas ({@code schemas/}: the
 * workflow and package.json schemas from SchemaStore, {@code compose-spec.json} from the Compose Specification's
 * repository, Apache-2.0; nothing is fetched: a {@code $ref} to another schema stays unresolved rather than
 * downloaded). A Compose file is read with its merge keys ({@code <<: *anchor}) resolved, as Compose reads it.
 */
public final class SchemaCheck {
    private static final String DIR = "/dev/backendteam/ops/deployment/schemas/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String COMPOSE = "compose-spec.json";
    /** The file names Compose looks for, and the {@code docker-compose.<env>.yml} overrides people keep next to them. */
    private static final Pattern COMPOSE_FILE = Pattern.compile("(.*/)?(docker-)?compose(\\.[\\w.-]+)?\\.ya?ml");
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);
    /**
     * Each schema is read when the first file it covers is checked, not when the service starts: the three take
     * ~0.5 CPU-seconds to compile and 3.3 MB of heap, which an ops instance that never sees a workflow, a
     * package.json or a Compose file would carry idle (issue 13: idle memory).
     */
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private static Schema load(SchemaRegistry registry, String name) {
        try (InputStream in = SchemaCheck.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("missing schema " + DIR + name);
            }
            // a base location, so that a relative $id (the Compose schema's "compose_spec.json") resolves
            return registry.getSchema(SchemaLocation.of("classpath:" + DIR + name), in, InputFormat.JSON);
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
        if (COMPOSE_FILE.matcher(path).matches()) {
            return Optional.of(COMPOSE);
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
            node = name.get().equals(COMPOSE) ? composeTree(content == null ? "" : content)
                    : (path.endsWith(".json") ? JSON : YAML).readTree(content == null ? "" : content);
        } catch (JsonProcessingException e) {
            return new Evidence(check, false, path + " does not parse: " + e.getOriginalMessage(), ms(start));
        } catch (YAMLException e) {
            return new Evidence(check, false, path + " does not parse: " + e.getMessage(), ms(start));
        }
        if (node == null || node.isMissingNode()) {
            return new Evidence(check, false, path + " is empty", ms(start));
        }
        List<Error> errors = schemas.computeIfAbsent(name.get(), schema -> load(registry, schema)).validate(node);
        if (errors.isEmpty()) {
            return new Evidence(check, true, "valid against " + source(name.get()) + " (pinned copy)", ms(start));
        }
        return new Evidence(check, false, errors.size() + " violation(s) of " + source(name.get()) + ": "
                + errors.stream().limit(10).map(e -> e.getInstanceLocation() + " " + e.getMessage())
                .collect(Collectors.joining("; ")), ms(start));
    }

    private static String source(String schema) {
        return schema.equals(COMPOSE) ? "the Compose Specification's " + schema : "SchemaStore's " + schema;
    }

    /**
     * A Compose file as Compose sees it: SnakeYAML resolves merge keys and anchors (Jackson's YAML parser keeps
     * {@code <<} as a key). Keys stay strings; a document that is no mapping is passed on for the schema to refuse.
     */
    private static JsonNode composeTree(String content) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(200);
        options.setAllowDuplicateKeys(false);
        Object document = new Yaml(new SafeConstructor(options)).load(content);
        return document == null ? MissingNode.getInstance() : JSON.valueToTree(document);
    }

    static long ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
