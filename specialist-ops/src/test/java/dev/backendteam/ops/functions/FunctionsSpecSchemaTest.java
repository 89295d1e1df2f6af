package dev.backendteam.ops.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The spec's {@code functions} section in the published domain-spec schema, which orchestrator and db-architect apply. */
class FunctionsSpecSchemaTest {
    private static final Schema SCHEMA = load();

    @Test
    void aSpecWithAFunctionsSectionIsValid() {
        assertEquals(List.of(), errors("""
                entities: [{ name: payment, serviceOnly: true, fields: { amount: integer! } }, { name: task }]
                functions:
                  - { name: stripe-webhook, kind: webhook, provider: stripe, writes: [payment], purpose: payments }
                  - { name: daily-digest, kind: scheduled, schedule: "0 8 * * *", email: resend, reads: [task] }
                  - { name: my-tasks, kind: http, reads: [task], secrets: [ALLOWED_ORIGIN] }
                queries: [{ name: q, sql: "select 1" }]
                """));
    }

    @Test
    void aWebhookWithoutProviderAScheduleWithoutCronAndAPlatformSecretAreRefused() {
        List<String> errors = errors("""
                entities: [{ name: task }]
                functions:
                  - { name: hook, kind: webhook }
                  - { name: Nightly_Job, kind: scheduled }
                  - { name: x, kind: http, secrets: [SUPABASE_SERVICE_ROLE_KEY], timeout: 3 }
                """);
        assertTrue(errors.contains("a webhook names its `provider`"), errors.toString());
        assertTrue(errors.contains("a scheduled function needs a `schedule`"), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.startsWith("a function name is kebab-case")), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.contains("not starting with SUPABASE_")), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.startsWith("unknown key in a function")), errors.toString());
    }

    @Test
    void aScheduleWithAQuoteIsRefusedAndCronFieldsAreTaken() {
        String spec = """
                entities: [{ name: task }]
                functions: [{ name: digest, kind: scheduled, schedule: "%s" }]
                """;
        assertTrue(errors(spec.formatted("0 8 * * *');--")).stream().anyMatch(e -> e.startsWith(
                "schedule is a five-field cron expression")), errors(spec.formatted("0 8 * * *');--")).toString());
        assertEquals(List.of(), errors(spec.formatted("*/15 8-18 * jan-jun MON-FRI")));
    }

    private static List<String> errors(String yaml) {
        try {
            JsonNode spec = new YAMLMapper().readTree(yaml);
            return SCHEMA.validate(spec).stream().map(Error::getMessage).toList();
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Schema load() {
        SchemaRegistryConfig config = SchemaRegistryConfig.builder().errorMessageKeyword("errorMessage")
                .pathType(PathType.JSON_POINTER).build();
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                b -> b.schemaRegistryConfig(config));
        try (InputStream in = FunctionsSpecSchemaTest.class
                .getResourceAsStream("/META-INF/resources/schemas/domain-spec.schema.json")) {
            return registry.getSchema(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
