package dev.backendteam.security.engine.ai;

import dev.backendteam.contract.evidence.RlsMatrix;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An executed RLS matrix as the model reads it: per table and actor, each operation's verdict and rows. */
public final class VerdictTable {

    private VerdictTable() {
    }

    public static String of(RlsMatrix matrix) {
        Map<String, Map<String, StringBuilder>> rows = new LinkedHashMap<>();
        for (RlsMatrix.Case c : matrix.cases()) {
            StringBuilder cell = rows.computeIfAbsent(c.table(), t -> new LinkedHashMap<>())
                    .computeIfAbsent(c.actor(), a -> new StringBuilder());
            cell.append(cell.isEmpty() ? "" : ", ").append(c.operation()).append(' ').append(c.actual())
                    .append(c.actual().equals("allow") ? " (" + c.rows() + " rows)" : "");
        }
        StringBuilder out = new StringBuilder("RLS matrix executed in the sandbox (each actor against a seeded world"
                + " of two owners' rows):\n");
        rows.forEach((table, actors) -> {
            out.append(table).append('\n');
            actors.forEach((actor, cells) -> out.append("  ").append(actor).append(": ").append(cells).append('\n'));
        });
        List<RlsMatrix.Case> off = matrix.cases().stream().filter(c -> !c.ok()).toList();
        out.append(off.isEmpty() ? "every cell as the draft expects" : off.size() + " cell(s) differ from the draft");
        return out.toString();
    }
}
