package dev.backendteam.security.engine.ai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backendteam.contract.Json;
import dev.backendteam.contract.access.Operation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An access table a model drafted, in the domain spec's {@code access} shape (table → operation → grantees) plus the
 * owner column of each table, or null for none: {@code {"access": {"comments": {"select": ["authenticated"], …}},
 * "ownerColumns": {"comments": "author_id"}}}. Names and tokens are kept as written; {@link DraftCheck} says what
 * does not fit the schema, so a wrong token goes back to the model as a problem rather than failing the parse.
 */
public record AccessDraft(Map<String, Map<String, List<String>>> access, Map<String, String> ownerColumns) {
    private static final List<String> KEYS = List.of("access", "ownerColumns");

    public AccessDraft {
        Map<String, Map<String, List<String>>> a = new TreeMap<>();
        access.forEach((table, ops) -> {
            Map<String, List<String>> copy = new LinkedHashMap<>();
            for (Operation op : Operation.values()) {
                if (ops.containsKey(op.wire())) {
                    copy.put(op.wire(), List.copyOf(ops.get(op.wire())));
                }
            }
            ops.forEach((op, grantees) -> copy.putIfAbsent(op, List.copyOf(grantees)));
            a.put(table, Collections.unmodifiableMap(copy));
        });
        access = Collections.unmodifiableMap(a);
        // a null value (no owner column) is kept: Map.copyOf would refuse it
        ownerColumns = Collections.unmodifiableMap(new TreeMap<>(ownerColumns == null ? Map.of() : ownerColumns));
    }

    /** Whether the draft says anything about the table's owner column (null included). */
    public boolean namesOwner(String table) {
        return ownerColumns.containsKey(table);
    }

    /** The draft's JSON, tables sorted and operations in the order select, insert, update, delete. */
    public ObjectNode toJson() {
        ObjectNode root = Json.events().createObjectNode();
        ObjectNode a = root.putObject("access");
        access.forEach((table, ops) -> {
            ObjectNode t = a.putObject(table);
            ops.forEach((op, grantees) -> {
                ArrayNode list = t.putArray(op);
                grantees.forEach(list::add);
            });
        });
        ObjectNode owners = root.putObject("ownerColumns");
        ownerColumns.forEach((table, column) -> {
            if (column == null) {
                owners.putNull(table);
            } else {
                owners.put(table, column);
            }
        });
        return root;
    }

    /** One line, canonical: equal drafts give equal text. */
    public String wire() {
        return Json.write(toJson());
    }

    /** A model's answer that cannot be read as a draft. */
    public static final class Unreadable extends Exception {
        public Unreadable(String message) {
            super(message);
        }
    }

    /** Reads a model's answer: the JSON object, alone or inside one code fence. */
    public static AccessDraft parse(String text) throws Unreadable {
        String body = text == null ? "" : text.strip();
        if (body.startsWith("```")) {
            int open = body.indexOf('\n');
            int close = body.lastIndexOf("```");
            body = open < 0 || close <= open ? "" : body.substring(open + 1, close).strip();
        }
        JsonNode node;
        try {
            node = Json.events().readTree(body);
        } catch (Exception e) {
            throw new Unreadable("the answer is not a JSON object: " + firstLine(e.getMessage()));
        }
        return read(node);
    }

    public static AccessDraft read(JsonNode node) throws Unreadable {
        if (node == null || !node.isObject()) {
            throw new Unreadable("the answer must be a JSON object with \"access\" and \"ownerColumns\"");
        }
        List<String> unknown = new ArrayList<>();
        node.fieldNames().forEachRemaining(f -> {
            if (!KEYS.contains(f)) {
                unknown.add(f);
            }
        });
        if (!unknown.isEmpty()) {
            throw new Unreadable("unknown key(s) " + String.join(", ", unknown) + "; the draft has only \"access\" and"
                    + " \"ownerColumns\"");
        }
        JsonNode a = node.path("access");
        if (!a.isObject()) {
            throw new Unreadable("\"access\" must be an object: table → { operation: [grantees] }");
        }
        Map<String, Map<String, List<String>>> access = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> tables = a.fields();
        while (tables.hasNext()) {
            Map.Entry<String, JsonNode> t = tables.next();
            if (!t.getValue().isObject()) {
                throw new Unreadable("access." + t.getKey() + " must be an object: { operation: [grantees] }");
            }
            Map<String, List<String>> ops = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = t.getValue().fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> op = it.next();
                if (!op.getValue().isArray()) {
                    throw new Unreadable("access." + t.getKey() + "." + op.getKey() + " must be a list of grantees");
                }
                List<String> grantees = new ArrayList<>();
                for (JsonNode g : op.getValue()) {
                    if (!g.isTextual()) {
                        throw new Unreadable("access." + t.getKey() + "." + op.getKey() + " lists " + g
                                + ", which is not a grantee token");
                    }
                    grantees.add(g.asText());
                }
                ops.put(op.getKey(), grantees);
            }
            access.put(t.getKey(), ops);
        }
        Map<String, String> owners = new LinkedHashMap<>();
        JsonNode o = node.path("ownerColumns");
        if (!o.isMissingNode() && !o.isNull()) {
            if (!o.isObject()) {
                throw new Unreadable("\"ownerColumns\" must be an object: table → column (or null)");
            }
            Iterator<Map.Entry<String, JsonNode>> it = o.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isNull() && !e.getValue().isTextual()) {
                    throw new Unreadable("ownerColumns." + e.getKey() + " must be a column name or null");
                }
                owners.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
            }
        }
        return new AccessDraft(access, owners);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
