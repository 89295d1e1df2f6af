package dev.backendteam.queryoptimizer.plan;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One node of an EXPLAIN (FORMAT JSON, VERBOSE) plan, with the fields the optimizer reads. Expressions are the
 * server's deparsed text: VERBOSE qualifies every column with its relation's alias, which is what lets a filter be
 * tied to the table it reads.
 */
public record PlanNode(String nodeType, String relation, String schema, String alias, String indexName,
        double startupCost, double totalCost, double planRows, Double actualTotalMs, Double actualRows, Long sharedHit,
        Long sharedRead, String filter, String indexCond, String recheckCond, String joinCond, List<String> sortKey,
        List<String> output, String parentRelationship, List<PlanNode> children) {

    public PlanNode {
        sortKey = sortKey == null ? List.of() : List.copyOf(sortKey);
        output = output == null ? List.of() : List.copyOf(output);
        children = children == null ? List.of() : List.copyOf(children);
    }

    /** The {@code Plan} object of one EXPLAIN (FORMAT JSON) result: {@code [{"Plan": …}]} or {@code {"Plan": …}}. */
    public static PlanNode ofExplain(JsonNode explain) {
        JsonNode root = explain.isArray() ? explain.get(0) : explain;
        return of(root.has("Plan") ? root.get("Plan") : root);
    }

    public static PlanNode of(JsonNode n) {
        List<PlanNode> children = new ArrayList<>();
        if (n.has("Plans")) {
            n.get("Plans").forEach(c -> children.add(of(c)));
        }
        String join = text(n, "Hash Cond");
        if (join == null) {
            join = text(n, "Merge Cond");
        }
        if (join == null) {
            join = text(n, "Join Filter");
        }
        return new PlanNode(text(n, "Node Type"), text(n, "Relation Name"), text(n, "Schema"), text(n, "Alias"),
                text(n, "Index Name"), number(n, "Startup Cost"), number(n, "Total Cost"), number(n, "Plan Rows"),
                optional(n, "Actual Total Time"), optional(n, "Actual Rows"), whole(n, "Shared Hit Blocks"),
                whole(n, "Shared Read Blocks"), text(n, "Filter"), text(n, "Index Cond"), text(n, "Recheck Cond"),
                join, texts(n, "Sort Key"), texts(n, "Output"), text(n, "Parent Relationship"), children);
    }

    /** This node and all below it, depth first. */
    public void walk(Consumer<PlanNode> visitor) {
        visitor.accept(this);
        children.forEach(c -> c.walk(visitor));
    }

    public List<PlanNode> all() {
        List<PlanNode> nodes = new ArrayList<>();
        walk(nodes::add);
        return nodes;
    }

    public boolean isScan() {
        return relation != null;
    }

    /** Shared buffers the node touched (hit + read), null when the plan was not run with BUFFERS. */
    public Long buffers() {
        return sharedHit == null && sharedRead == null ? null
                : (sharedHit == null ? 0 : sharedHit) + (sharedRead == null ? 0 : sharedRead);
    }

    /** The indexes the plan reads, in plan order, each once. */
    public List<String> indexesUsed() {
        List<String> names = new ArrayList<>();
        walk(p -> {
            if (p.indexName != null && !names.contains(p.indexName)) {
                names.add(p.indexName);
            }
        });
        return names;
    }

    /**
     * The plan's shape in a line, top node first: {@code Limit ← Sort ← Seq Scan on comments}; joins list their
     * inputs in brackets.
     */
    public String shape() {
        StringBuilder s = new StringBuilder(label());
        if (children.size() == 1) {
            s.append(" ← ").append(children.get(0).shape());
        } else if (!children.isEmpty()) {
            s.append(" [");
            for (int i = 0; i < children.size(); i++) {
                s.append(i == 0 ? "" : "; ").append(children.get(i).shape());
            }
            s.append("]");
        }
        return s.toString();
    }

    private String label() {
        if (indexName != null) {
            return nodeType + " using " + indexName;
        }
        return relation == null ? nodeType : nodeType + " on " + relation;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static double number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null ? 0 : v.asDouble();
    }

    private static Double optional(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null ? null : v.asDouble();
    }

    private static Long whole(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null ? null : v.asLong();
    }

    private static List<String> texts(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isArray()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        v.forEach(x -> out.add(x.asText()));
        return out;
    }
}
