package dev.backendteam.orchestrator.engine.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import dev.backendteam.contract.llm.RepairLoop;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The domain spec's published JSON Schema (the contract's {@code schemas/domain-spec.schema.json}), which a planned spec
 * must pass before it becomes a job input. The db-architect checks the rest (names, references) and proves it.
 */
public final class SpecSchema {
    public static final String RESOURCE = "/META-INF/resources/schemas/domain-spec.schema.json";
    public static final String RULE = "spec.schema";

    private final Schema schema;

    private SpecSchema(Schema schema) {
        this.schema = schema;
    }

    public static SpecSchema load() {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().errorMessageKeyword("errorMessage")
                        .pathType(PathType.JSON_POINTER).build()));
        try (InputStream in = SpecSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return new SpecSchema(registry.getSchema(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<RepairLoop.Problem> problems(JsonNode spec) {
        return schema.validate(spec).stream().map(SpecSchema::problem).toList();
    }

    private static RepairLoop.Problem problem(Error e) {
        String path = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString();
        return new RepairLoop.Problem(RULE, "spec" + path, e.getMessage());
    }
}
