package dev.backendteam.ops.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The role's data ({@code catalogue.yaml}): webhook providers and the columns their events fill, email APIs. */
public record FunctionCatalogue(Map<String, Webhook> webhooks, Map<String, EmailApi> email) {
    static final String DIR = "/dev/backendteam/ops/functions/";

    /** A value an event gives, for a column of one of {@code names} whose TypeScript type is {@code ts}. */
    public record ColumnValue(List<String> names, String ts, String expr, boolean nullable) {
    }

    public record Webhook(String id, String title, String header, String secret, String verifier, List<String> eventId,
            String schema, String context, List<ColumnValue> columns) {
    }

    public record EmailApi(String id, String title, String secret, String url, String headers, String body) {
    }

    public static FunctionCatalogue bundled() {
        try (InputStream in = FunctionCatalogue.class.getResourceAsStream(DIR + "catalogue.yaml")) {
            if (in == null) {
                throw new IllegalStateException("missing " + DIR + "catalogue.yaml");
            }
            JsonNode root = new YAMLMapper().readTree(in);
            Map<String, Webhook> webhooks = new LinkedHashMap<>();
            root.path("webhooks").fields().forEachRemaining(e -> {
                JsonNode w = e.getValue();
                List<ColumnValue> columns = new ArrayList<>();
                w.path("columns").forEach(c -> columns.add(new ColumnValue(strings(c.path("names")),
                        c.path("ts").asText(), c.path("expr").asText(), c.path("nullable").asBoolean(false))));
                webhooks.put(e.getKey(), new Webhook(e.getKey(), w.path("title").asText(), w.path("header").asText(),
                        w.path("secret").asText(), w.path("verifier").asText(), strings(w.path("eventId")),
                        w.path("schema").asText(), w.path("context").asText(), List.copyOf(columns)));
            });
            Map<String, EmailApi> email = new LinkedHashMap<>();
            root.path("email").fields().forEachRemaining(e -> {
                JsonNode a = e.getValue();
                email.put(e.getKey(), new EmailApi(e.getKey(), a.path("title").asText(), a.path("secret").asText(),
                        a.path("url").asText(), a.path("headers").asText(), a.path("body").asText()));
            });
            return new FunctionCatalogue(Map.copyOf(webhooks), Map.copyOf(email));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the edge-functions catalogue", e);
        }
    }

    private static List<String> strings(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.asText()));
        return List.copyOf(out);
    }
}
