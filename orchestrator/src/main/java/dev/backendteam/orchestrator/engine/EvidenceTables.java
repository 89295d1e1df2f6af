package dev.backendteam.orchestrator.engine;

import dev.backendteam.contract.EvidenceData;
import dev.backendteam.contract.evidence.CatalogDiff;
import dev.backendteam.contract.evidence.EvidenceKind;
import dev.backendteam.contract.evidence.GrantCheck;
import dev.backendteam.contract.evidence.PlanCosts;
import dev.backendteam.contract.evidence.RlsMatrix;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The structured evidence kinds the Markdown report knows, as tables. An unknown kind, an unknown version of a
 * known kind, or data that does not fit its kind's shape renders nothing (the JSON report still carries it). The
 * access intent is not evidence to tabulate here: the report shows it once, in its {@code ## Access} section.
 */
final class EvidenceTables {
    /** The operations every table's grid has a column for, then the integrity cases, only where a table has them. */
    private static final List<String> OPERATIONS = List.of("select", "insert", "update", "delete");
    private static final List<String> INTEGRITY = List.of("insert-foreign", "update-move", "bootstrap");

    private EvidenceTables() {
    }

    static Optional<String> render(EvidenceData data) {
        return EvidenceKind.of(data).flatMap(kind -> switch (kind) {
            case RLS_MATRIX -> EvidenceKind.read(data, RlsMatrix.class).map(EvidenceTables::rls);
            case PLAN_COSTS -> EvidenceKind.read(data, PlanCosts.class).map(EvidenceTables::plans);
            case CATALOG_DIFF -> EvidenceKind.read(data, CatalogDiff.class).map(EvidenceTables::diff);
            case GRANT_CHECK -> EvidenceKind.read(data, GrantCheck.class).map(EvidenceTables::grants);
            case ACCESS_INTENT -> Optional.<String>empty();
        });
    }

    /** Per table, one row per actor and one column per operation; then what weakening each policy changed. */
    private static String rls(RlsMatrix m) {
        if (m.cases().isEmpty()) {
            return "No access case was executed.\n";
        }
        Map<String, List<RlsMatrix.Case>> byTable = new LinkedHashMap<>();
        m.cases().forEach(c -> byTable.computeIfAbsent(c.table(), t -> new ArrayList<>()).add(c));
        StringBuilder md = new StringBuilder();
        byTable.forEach((table, cases) -> md.append("**").append(code(ReportRenderer.oneLine(table))).append("**\n\n")
                .append(grid(cases)).append('\n'));
        md.append("✓ n: allowed as intended (n rows) · ✗ rls / ✗ grant: refused as intended, by a policy / by the"
                + " missing grant · ‼: not what the intent says\n");
        if (!m.sensitivity().isEmpty()) {
            md.append('\n').append(sensitivity(m.sensitivity()));
        }
        return md.toString();
    }

    private static String grid(List<RlsMatrix.Case> cases) {
        Set<String> present = new LinkedHashSet<>();
        Set<String> actors = new LinkedHashSet<>();
        cases.forEach(c -> {
            present.add(c.operation());
            actors.add(c.actor());
        });
        List<String> columns = new ArrayList<>(OPERATIONS);
        INTEGRITY.stream().filter(present::contains).forEach(columns::add);
        present.stream().filter(op -> !columns.contains(op)).forEach(columns::add);
        List<String> headers = new ArrayList<>(List.of("actor"));
        headers.addAll(columns);
        MarkdownTable t = new MarkdownTable(headers);
        for (String actor : actors) {
            List<String> row = new ArrayList<>(List.of(actor));
            for (String op : columns) {
                row.add(String.join("; ", cases.stream().filter(c -> c.actor().equals(actor)
                        && c.operation().equals(op)).map(EvidenceTables::verdict).toList()));
            }
            t.row(row);
        }
        return t.toString();
    }

    /** {@code ✓ 3}, {@code ✗ rls}, {@code ✗ grant} when the database did what the intent says; otherwise ‼. */
    private static String verdict(RlsMatrix.Case c) {
        if (!c.ok()) {
            return "‼ expected " + outcome(c.expected(), c.expectedRows(), null) + " got "
                    + outcome(c.actual(), c.rows(), c.sqlState());
        }
        return switch (c.actual()) {
            case "allow" -> c.rows() == null ? "✓" : "✓ " + c.rows();
            case "deny-rls" -> "✗ rls";
            case "deny-grant" -> "✗ grant";
            default -> c.actual();
        };
    }

    private static String outcome(String verdict, Long rows, String sqlState) {
        return verdict + ("allow".equals(verdict) && rows != null ? " (" + rows + (rows == 1 ? " row)" : " rows)") : "")
                + (sqlState == null ? "" : " (" + sqlState + ")");
    }

    /** A row per policy, a column per weakening with the cells it changed; a weakening that changed none is flagged. */
    private static String sensitivity(List<RlsMatrix.Sensitivity> weakenings) {
        Map<List<String>, Map<String, RlsMatrix.Sensitivity>> byPolicy = new LinkedHashMap<>();
        Set<String> kinds = new LinkedHashSet<>();
        for (RlsMatrix.Sensitivity s : weakenings) {
            byPolicy.computeIfAbsent(List.of(s.table(), s.policy()), k -> new LinkedHashMap<>()).put(s.weakening(), s);
            kinds.add(s.weakening());
        }
        List<String> headers = new ArrayList<>(List.of("table", "policy"));
        kinds.forEach(k -> headers.add(weakened(k)));
        headers.add("");
        MarkdownTable t = new MarkdownTable(headers);
        byPolicy.forEach((policy, byKind) -> {
            List<String> row = new ArrayList<>(List.of(code(policy.get(0)), code(policy.get(1))));
            List<String> blind = new ArrayList<>();
            for (String k : kinds) {
                RlsMatrix.Sensitivity s = byKind.get(k);
                row.add(s == null ? "" : s.changed().size() + (s.changed().size() == 1 ? " cell" : " cells"));
                if (s != null && !s.sensitive()) {
                    blind.add(weakened(k));
                }
            }
            row.add(blind.isEmpty() ? "ok" : blind.size() == byKind.size()
                    ? "**the matrix proves nothing about this policy**"
                    : "**" + String.join(", ", blind) + ": no cell changes**");
            t.row(row);
        });
        return "Sensitivity: the cells that changed when each policy was weakened.\n\n" + t;
    }

    private static String weakened(String weakening) {
        return switch (weakening) {
            case "drop" -> "dropped";
            case "true" -> "made true";
            default -> weakening;
        };
    }

    private static String plans(PlanCosts p) {
        MarkdownTable t = new MarkdownTable("query", "cost before", "cost after", "change", "ms before", "ms after",
                "indexes used");
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
        MarkdownTable t = new MarkdownTable("object", "after " + d.after());
        d.leftBehind().forEach(o -> t.row(code(o), "left behind (not there " + d.before() + ")"));
        d.missing().forEach(o -> t.row(code(o), "missing (there " + d.before() + ")"));
        return t.toString();
    }

    private static String grants(GrantCheck g) {
        MarkdownTable t = new MarkdownTable("table", "role", "intent", "expected", "actual", "verdict");
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

    /** A name as inline code (a backtick in it becomes a quote, so the span stays closed). */
    static String code(String s) {
        return s == null || s.isEmpty() ? "" : "`" + s.replace("`", "'") + "`";
    }
}
