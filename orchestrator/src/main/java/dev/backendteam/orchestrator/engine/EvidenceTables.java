package dev.backendteam.orchestrator.engine;

import dev.backendteam.contract.EvidenceData;
import dev.backendteam.contract.evidence.CatalogDiff;
import dev.backendteam.contract.evidence.EvidenceKind;
import dev.backendteam.contract.evidence.GrantCheck;
import dev.backendteam.contract.evidence.PlanCosts;
import dev.backendteam.contract.evidence.RlsMatrix;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The structured evidence kinds the Markdown report knows, as tables. An unknown kind, an unknown version of a
 * known kind, or data that does not fit its kind's shape renders nothing (the JSON report still carries it).
 */
final class EvidenceTables {
    /** Rows shown at most per table; the JSON report has them all. */
    static final int MAX_ROWS = 200;

    private EvidenceTables() {
    }

    static Optional<String> render(EvidenceData data) {
        return EvidenceKind.of(data).flatMap(kind -> switch (kind) {
            case RLS_MATRIX -> EvidenceKind.read(data, RlsMatrix.class).map(EvidenceTables::rls);
            case PLAN_COSTS -> EvidenceKind.read(data, PlanCosts.class).map(EvidenceTables::plans);
            case CATALOG_DIFF -> EvidenceKind.read(data, CatalogDiff.class).map(EvidenceTables::diff);
            case GRANT_CHECK -> EvidenceKind.read(data, GrantCheck.class).map(EvidenceTables::grants);
        });
    }

    private static String rls(RlsMatrix m) {
        Table t = new Table("table", "operation", "actor", "expected", "actual", "");
        m.cases().forEach(c -> t.row(code(c.table()), c.operation(), c.actor(), c.expected(), c.actual()
                + (c.sqlState() == null ? "" : " (" + c.sqlState() + ")"), c.ok() ? "ok" : "**mismatch**"));
        return t.toString();
    }

    private static String plans(PlanCosts p) {
        Table t = new Table("query", "cost before", "cost after", "change", "ms before", "ms after", "indexes used");
        p.queries().forEach(q -> t.row(q.query(), number(q.costBefore()), number(q.costAfter()),
                change(q.costBefore(), q.costAfter()), q.msBefore() == null ? "" : number(q.msBefore()),
                q.msAfter() == null ? "" : number(q.msAfter()),
                String.join(", ", q.indexes().stream().map(EvidenceTables::code).toList())));
        return t.toString();
    }

    private static String diff(CatalogDiff d) {
        if (d.leftBehind().isEmpty() && d.missing().isEmpty()) {
            return "Catalog " + d.after() + " equals the catalog " + d.before() + " (" + d.compared()
                    + " objects compared).";
        }
        Table t = new Table("object", "after " + d.after());
        d.leftBehind().forEach(o -> t.row(code(o), "left behind (not there " + d.before() + ")"));
        d.missing().forEach(o -> t.row(code(o), "missing (there " + d.before() + ")"));
        return t.toString();
    }

    private static String grants(GrantCheck g) {
        Table t = new Table("table", "role", "intent", "expected", "actual", "verdict");
        g.rows().forEach(r -> t.row(code(r.table()), r.role(), r.intent() == null ? "" : r.intent(),
                privileges(r.expected()), privileges(r.actual()), r.verdict().equals("ok") ? "ok"
                        : "**" + r.verdict() + "**"));
        return t.toString();
    }

    private static String privileges(List<String> privileges) {
        return privileges.isEmpty() ? "none" : String.join(", ", privileges);
    }

    private static String change(double before, double after) {
        if (before <= 0) {
            return "";
        }
        return String.format(Locale.ROOT, "%+.1f %%", (after - before) * 100 / before);
    }

    private static String number(double n) {
        return n == Math.rint(n) && Math.abs(n) < 1e15 ? String.valueOf((long) n)
                : String.format(Locale.ROOT, "%.2f", n);
    }

    private static String code(String s) {
        return s == null || s.isEmpty() ? "" : "`" + s.replace("`", "'") + "`";
    }

    /** A Markdown table: cells on one line, pipes escaped, at most {@link #MAX_ROWS} rows. */
    private static final class Table {
        private final StringBuilder md = new StringBuilder();
        private final int columns;
        private int rows;

        Table(String... headers) {
            columns = headers.length;
            md.append('|');
            for (String h : headers) {
                md.append(' ').append(h).append(" |");
            }
            md.append("\n|").append("---|".repeat(columns)).append('\n');
        }

        void row(String... cells) {
            if (++rows > MAX_ROWS) {
                return;
            }
            md.append('|');
            for (String c : cells) {
                md.append(' ').append(ReportRenderer.cell(c)).append(" |");
            }
            md.append('\n');
        }

        @Override
        public String toString() {
            return rows > MAX_ROWS ? md + "\n(" + (rows - MAX_ROWS) + " more rows in the JSON report)\n" : md.toString();
        }
    }
}
