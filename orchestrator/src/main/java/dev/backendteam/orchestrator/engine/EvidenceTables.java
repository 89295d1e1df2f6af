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

    /**
     * One row per query (a column only where some query has its value: frequency, plans, buffers, times, gate); then
     * the indexes weighed, with their sizes and the queries they serve; then the totals and the baseline.
     */
    private static String plans(PlanCosts p) {
        List<PlanCosts.Query> qs = p.queries();
        boolean frequency = qs.stream().anyMatch(q -> q.frequency() != null);
        boolean plan = qs.stream().anyMatch(q -> q.planBefore() != null || q.planAfter() != null);
        boolean buffers = qs.stream().anyMatch(q -> q.buffersBefore() != null || q.buffersAfter() != null);
        boolean ms = qs.stream().anyMatch(q -> q.msBefore() != null || q.msAfter() != null);
        boolean gate = qs.stream().anyMatch(q -> q.gate() != null);
        List<String> headers = new ArrayList<>(List.of("query"));
        add(headers, frequency, "calls/min");
        add(headers, plan, "plan before → after");
        headers.add("cost before → after");
        add(headers, buffers, "buffers");
        add(headers, ms, "ms (median)");
        headers.add("indexes used");
        add(headers, gate, "gate");
        MarkdownTable t = new MarkdownTable(headers);
        for (PlanCosts.Query q : qs) {
            List<String> row = new ArrayList<>(List.of(q.query()));
            add(row, frequency, q.frequency() == null ? "" : number(q.frequency()));
            add(row, plan, arrow(q.planBefore(), q.planAfter()));
            row.add(beforeAfter(q.costBefore(), q.costAfter()));
            add(row, buffers, beforeAfter(q.buffersBefore() == null ? null : q.buffersBefore().doubleValue(),
                    q.buffersAfter() == null ? null : q.buffersAfter().doubleValue()));
            add(row, ms, beforeAfter(q.msBefore(), q.msAfter()));
            row.add(String.join(", ", q.indexes().stream().map(EvidenceTables::code).toList()));
            add(row, gate, q.gate() == null ? "" : q.gate());
            t.row(row);
        }
        StringBuilder md = new StringBuilder(t.toString());
        if (!p.indexes().isEmpty()) {
            MarkdownTable ix = new MarkdownTable("index", "table", "size", "serves", "kept", "definition");
            p.indexes().forEach(i -> ix.row(code(i.name()), code(i.table()),
                    i.sizeBytes() == null ? "" : size(i.sizeBytes()), String.join(", ", i.serves()),
                    (i.kept() == null ? "" : i.kept() ? "kept" : "**not kept**")
                            + (i.reason() == null ? "" : (i.kept() == null ? "" : ": ") + i.reason()),
                    code(i.definition())));
            md.append("\nIndexes weighed:\n\n").append(ix);
        }
        if (p.totals() != null || p.baseline() != null) {
            md.append('\n').append(comparison(p));
        }
        return md.toString();
    }

    /** This index set's totals, and the baseline's beside them when there is one. */
    private static String comparison(PlanCosts p) {
        PlanCosts.Totals totals = p.totals();
        List<PlanCosts.Index> kept = p.indexes().stream().filter(i -> Boolean.TRUE.equals(i.kept())).toList();
        MarkdownTable t = new MarkdownTable("", "total cost before → after", "ms before → after", "indexes", "size");
        t.row("this index set", totals == null ? "" : beforeAfter(totals.costBefore(), totals.costAfter()),
                totals == null ? "" : beforeAfter(totals.msBefore(), totals.msAfter()),
                p.indexes().isEmpty() ? "" : String.valueOf(kept.size()),
                kept.isEmpty() || kept.stream().anyMatch(i -> i.sizeBytes() == null) ? ""
                        : size(kept.stream().mapToLong(PlanCosts.Index::sizeBytes).sum()));
        PlanCosts.Baseline b = p.baseline();
        if (b != null) {
            t.row("baseline" + (b.description() == null ? "" : ": " + b.description()),
                    beforeAfter(b.totalCostBefore(), b.totalCostAfter()), "",
                    b.indexes() == null ? "" : String.valueOf(b.indexes()),
                    b.sizeBytes() == null ? "" : size(b.sizeBytes()));
        }
        return "Totals:\n\n" + t;
    }

    private static <T> void add(List<T> list, boolean present, T value) {
        if (present) {
            list.add(value);
        }
    }

    private static String arrow(String before, String after) {
        if (before == null && after == null) {
            return "";
        }
        return (before == null ? "?" : before) + " → " + (after == null ? "?" : after);
    }

    /** {@code 1843.20 → 8.40 (-99.5 %)}; one side missing shows as {@code ?}. */
    private static String beforeAfter(Double before, Double after) {
        if (before == null && after == null) {
            return "";
        }
        String text = (before == null ? "?" : number(before)) + " → " + (after == null ? "?" : number(after));
        String change = before == null || after == null ? "" : change(before, after);
        return change.isEmpty() ? text : text + " (" + change + ")";
    }

    /** Bytes as PostgreSQL's pg_size_pretty writes them (binary multiples: kB, MB, GB). */
    static String size(long bytes) {
        String[] units = {"kB", "MB", "GB", "TB"};
        if (bytes < 10 * 1024) {
            return bytes + " bytes";
        }
        double n = bytes;
        int unit = -1;
        while (n >= 10 * 1024 && unit < units.length - 1) {
            n /= 1024;
            unit++;
        }
        return Math.round(n) + " " + units[unit];
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
