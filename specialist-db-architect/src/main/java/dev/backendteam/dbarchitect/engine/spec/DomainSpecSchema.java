package dev.backendteam.dbarchitect.engine.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The published JSON Schema of domain specs ({@code domain-spec.schema.json}, served by the service at
 * {@value #PUBLISHED_PATH}) and validation against it. Error messages are the schema's own ({@code errorMessage}
 * keyword); paths are JSON Pointers to the offending value, for unknown keys to the key itself.
 */
public final class DomainSpecSchema {
    public static final String PUBLISHED_PATH = "/schemas/domain-spec.schema.json";
    public static final String RESOURCE = "/META-INF/resources" + PUBLISHED_PATH;
    public static final String RULE = "spec.schema";

    /** Keys of the format, for "did you mean" on a misspelt one. */
    private static final List<String> KEYS = List.of("entities", "queries", "version", "name", "description",
            "fields", "primaryKey", "belongsTo", "owner", "tenant", "tenantMembership", "manyToMany", "softDelete",
            "publicRead", "serviceOnly", "unique", "checks", "type", "enum", "nullable", "default", "check", "entity",
            "column", "onDelete", "roles", "defaultRole", "sql");

    private static final String FIX = "Correct the value as the message says; the format is described by the JSON"
            + " Schema served at " + PUBLISHED_PATH + ".";
    private static final java.util.regex.Pattern SPLIT_TYPE = java.util.regex.Pattern.compile("^\\s*\\d*\\)!?$");

    private final Schema schema;

    private DomainSpecSchema(Schema schema) {
        this.schema = schema;
    }

    public static DomainSpecSchema load() {
        SchemaRegistryConfig config = SchemaRegistryConfig.builder().errorMessageKeyword("errorMessage")
                .pathType(PathType.JSON_POINTER).build();
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                b -> b.schemaRegistryConfig(config));
        try (InputStream in = DomainSpecSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return new DomainSpecSchema(registry.getSchema(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    public List<SpecProblem> validate(JsonNode spec) {
        Set<String> seen = new LinkedHashSet<>();
        List<SpecProblem> problems = new ArrayList<>();
        for (Error e : schema.validate(spec)) {
            String path = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString();
            String message = e.getMessage();
            String fix = FIX;
            String keyword = e.getKeyword() == null ? "" : e.getKeyword();
            if (e.getProperty() != null && (keyword.equals("additionalProperties")
                    || keyword.equals("propertyNames"))) {
                path = path + "/" + DomainSpec.escape(e.getProperty());
                int cut = message.indexOf("is not valid: ");
                if (keyword.equals("propertyNames") && cut >= 0) {
                    message = message.substring(cut + "is not valid: ".length());
                }
                if (SPLIT_TYPE.matcher(e.getProperty()).matches()) {
                    message = message + " — this looks like the end of a numeric(p,s) type that a YAML flow mapping"
                            + " split at its comma";
                    fix = "Quote the type inside { … }: \"numeric(12,2)\", or write the field on its own line.";
                }
                if (keyword.equals("additionalProperties")) {
                    String near = nearest(e.getProperty());
                    if (near != null) {
                        fix = "Write `" + near + "`.";
                        message = message + " — did you mean `" + near + "`?";
                    }
                }
            }
            if (path.equals("/")) {
                path = "";
            }
            if (seen.add(path + "\n" + message)) {
                problems.add(SpecProblem.error(path, RULE, message, fix));
            }
        }
        return problems;
    }

    private static String nearest(String key) {
        String best = null;
        int bestDistance = 3;
        for (String k : KEYS) {
            int d = distance(key.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Levenshtein distance. */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
