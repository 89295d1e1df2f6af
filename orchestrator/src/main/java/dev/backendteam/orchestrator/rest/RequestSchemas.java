package dev.backendteam.orchestrator.rest;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Describes the fields of the request bodies in the generated OpenAPI document. The records live in the contract,
 * which stays plain Java without OpenAPI annotations, so the gateway that publishes them says what each field means;
 * {@code spec} and {@code explain} (a Jackson tree, which the scanner cannot know) get the shapes the gateway accepts.
 */
public class RequestSchemas implements OASFilter {

    private static final Map<String, String> INPUTS = fields(
            "flow", "Forces a flow: new-feature, performance, bug, security-review, deployment, realtime, api,"
                    + " edge-functions.",
            "spec", "A domain spec (entities, access), as JSON.",
            "sql", "An existing schema or migrations to review.",
            "queries", "Named queries with $n parameters, for the query-optimizer.",
            "rowCounts", "Rows per table (table name → count), the sizes the query-optimizer plans for.",
            "logs", "An error log or stack trace.",
            "files", "Project files; SQL files among them are the project's existing migrations.",
            "target", "A read-only database configured as BACKEND_TEAM_TARGET_<NAME>_URL, by name.",
            "grants", "The project's grant model: explicit (Supabase's default since 2026-10-30) or legacy.",
            "writeRates", "How often each table is written (table name, optionally schema-qualified → rows per "
                    + "second): every index costs these writes, so the query-optimizer weighs its savings against "
                    + "them.",
            "explain", "A plan you already have: EXPLAIN's text output as a string, or its JSON format as "
                    + "EXPLAIN (FORMAT JSON) prints it ([{\"Plan\": {…}}]) or the object in it; at most 256 KiB.");

    private static final Map<String, Map<String, String>> DESCRIPTIONS = Map.of(
            "JobRequest", with(INPUTS, fields(
                    "task", "What you want done, in words (required).",
                    "correlationId", "Your id for the job, echoed on its events; the idempotency key of events.")),
            "JobAnswer", with(INPUTS, fields(
                    "jobId", "The job answered (optional; must match the path).",
                    "answer", "The answer to the job's question (required).")),
            "QueryInput", fields(
                    "name", "The query's name, used in the report.",
                    "sql", "The query, with $n parameters (required).",
                    "frequency", "How often it runs, in calls per minute (a finite number ≥ 0); without it every "
                            + "query weighs the same."),
            "WriteRate", fields(
                    "inserts", "Rows inserted per second (a finite number ≥ 0; absent: 0).",
                    "updates", "Rows updated per second (a finite number ≥ 0; absent: 0).",
                    "deletes", "Rows deleted per second (a finite number ≥ 0; absent: 0)."),
            "FileInput", fields(
                    "path", "Relative, normalised path inside the project (no leading /, no . or ..).",
                    "content", "The file's text."));

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null || openAPI.getComponents().getSchemas() == null) {
            return;
        }
        Map<String, Schema> schemas = openAPI.getComponents().getSchemas();
        DESCRIPTIONS.forEach((type, descriptions) -> {
            Schema schema = schemas.get(type);
            if (schema == null || schema.getProperties() == null) {
                return;
            }
            if (schema.getProperties().containsKey("spec")) {
                schema.addProperty("spec", OASFactory.createSchema().addType(SchemaType.OBJECT));
            }
            if (schema.getProperties().containsKey("explain")) {
                schema.addProperty("explain", OASFactory.createSchema().oneOf(List.of(
                        OASFactory.createSchema().addType(SchemaType.STRING),
                        OASFactory.createSchema().addType(SchemaType.ARRAY).maxItems(1)
                                .items(OASFactory.createSchema().addType(SchemaType.OBJECT).required(List.of("Plan"))),
                        OASFactory.createSchema().addType(SchemaType.OBJECT).required(List.of("Plan")))));
            }
            descriptions.forEach((field, description) -> {
                Schema property = schema.getProperties().get(field);
                if (property != null) {
                    property.setDescription(description);
                }
            });
        });
    }

    private static Map<String, String> fields(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    private static Map<String, String> with(Map<String, String> base, Map<String, String> more) {
        Map<String, String> m = new LinkedHashMap<>(base);
        m.putAll(more);
        return m;
    }
}
