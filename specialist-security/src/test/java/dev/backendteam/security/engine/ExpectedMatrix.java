package dev.backendteam.security.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.contract.evidence.RlsMatrix;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A hand-written expected matrix (table → operation → actor → rows | rls | grant | error), written before the
 * engine: the derived and the executed matrices are both compared with it.
 */
record ExpectedMatrix(Map<String, String> cells) {

    static ExpectedMatrix read(String resource) {
        JsonNode root = SecuritySandbox.yaml(SecuritySandbox.resource(resource));
        Map<String, String> cells = new LinkedHashMap<>();
        root.fields().forEachRemaining(table -> table.getValue().fields().forEachRemaining(op -> {
            Iterator<Map.Entry<String, JsonNode>> actors = op.getValue().fields();
            while (actors.hasNext()) {
                Map.Entry<String, JsonNode> a = actors.next();
                cells.put(table.getKey() + "/" + op.getKey() + "/" + a.getKey(), a.getValue().asText());
            }
        }));
        return new ExpectedMatrix(cells);
    }

    /** A case's verdict in the file's words: its rows when allowed, else rls, grant or error. */
    static String word(String verdict, Long rows) {
        return switch (verdict) {
            case "allow" -> String.valueOf(rows);
            case "deny-rls" -> "rls";
            case "deny-grant" -> "grant";
            default -> "error";
        };
    }

    /** Every difference between this file and the matrix's expected (derived) or actual (executed) verdicts. */
    List<String> differences(RlsMatrix matrix, boolean executed) {
        Map<String, String> got = new LinkedHashMap<>();
        for (RlsMatrix.Case c : matrix.cases()) {
            got.put(c.table() + "/" + c.operation() + "/" + c.actor(), executed ? word(c.actual(), c.rows())
                    : word(c.expected(), c.expectedRows()));
        }
        List<String> diff = new ArrayList<>();
        cells.forEach((cell, want) -> {
            String have = got.get(cell);
            if (!want.equals(have)) {
                diff.add(cell + ": file says " + want + ", " + (executed ? "executed" : "derived") + " " + have);
            }
        });
        got.keySet().stream().filter(k -> !cells.containsKey(k)).forEach(k -> diff.add(k + ": not in the file"));
        return diff;
    }
}
