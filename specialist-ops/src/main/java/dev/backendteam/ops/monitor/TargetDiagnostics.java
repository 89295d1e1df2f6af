package dev.backendteam.ops.monitor;

import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.QueryInput;
import dev.backendteam.contract.Severity;
import dev.backendteam.sandbox.targetdb.TargetDatabase;
import dev.backendteam.sandbox.targetdb.TargetException;
import dev.backendteam.sandbox.targetdb.TargetSql;
import dev.backendteam.sandbox.targetdb.TopStatements;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the catalogue's diagnostics on one target, each in its own read-only transaction (the target's statement
 * timeout on every query), and turns each row into a finding and each diagnostic into one evidence item: passed (it
 * raised nothing at warn or error), failed (it did), or not run with the reason (pg_stat_statements missing, a
 * permission the role lacks, a timeout).
 */
public final class TargetDiagnostics {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([\\w-]+)}");
    private static final String INDEXES = TargetSql.read("indexes/indexes.sql").strip();

    private final MonitorCatalogue catalogue;
    private final MonitorSettings settings;

    public TargetDiagnostics(MonitorCatalogue catalogue, MonitorSettings settings) {
        this.catalogue = catalogue;
        this.settings = settings;
    }

    /** What the diagnostics found: findings, one evidence item per diagnostic, the top statements (may be empty). */
    public record Report(List<Finding> findings, List<Evidence> evidence, List<TopStatements.Statement> statements) {
        public Report {
            findings = List.copyOf(findings);
            evidence = List.copyOf(evidence);
            statements = List.copyOf(statements);
        }
    }

    public Report run(TargetDatabase target) {
        List<Finding> findings = new ArrayList<>();
        List<Evidence> evidence = new ArrayList<>();
        List<TopStatements.Statement> statements = new ArrayList<>();
        List<String> schemas = null;
        for (Diagnostic d : catalogue.diagnostics()) {
            String check = "monitor: " + d.title() + " on target " + target.name();
            long started = System.nanoTime();
            try {
                List<Finding> found;
                String note = "";
                if (d.readsStatements()) {
                    TopStatements top = TopStatements.read(target, (int) settings.threshold("top-statements"),
                            true);
                    if (top.unavailable() != null) {
                        evidence.add(Evidence.notRun(check, top.unavailable()));
                        continue;
                    }
                    statements.addAll(top.statements());
                    found = statementFindings(d, top.statements());
                } else {
                    if (d.shared() != null && schemas == null) {
                        schemas = TargetSql.applicationSchemas(target::query);
                    }
                    found = rows(d, target, schemas);
                    if (d.skipped() != null) {
                        Number n = (Number) target.query(MonitorCatalogue.sql(d.skipped())).get(0).get("n");
                        if (n.longValue() > 0) {
                            note = "; " + n + " object(s) not readable by the role, not checked (grant it SELECT on"
                                    + " them)";
                        }
                    }
                }
                findings.addAll(found);
                evidence.add(evidence(d, check, found, note, (System.nanoTime() - started) / 1_000_000));
            } catch (TargetException e) {
                evidence.add(Evidence.notRun(check, notRunReason(e)));
            }
        }
        return new Report(findings, evidence, statements);
    }

    /** The diagnostic's query with its thresholds filled in; with {@code shared}, after the shared index rule. */
    String query(Diagnostic d) {
        String sql = MonitorCatalogue.sql(d.sql());
        if (d.shared() != null) {
            sql = "with " + INDEXES + ",\nshared as (\n" + TargetSql.read(d.shared()).strip() + "\n)\n" + sql;
        }
        for (String name : d.thresholds().keySet()) {
            sql = sql.replace("{" + name + "}", literal(settings.threshold(name)));
        }
        Matcher left = PLACEHOLDER.matcher(sql.replaceAll("'[^']*'", "''"));
        if (left.find()) {
            throw new IllegalStateException(d.id() + ": its SQL names {" + left.group(1) + "}, no threshold of it");
        }
        return sql;
    }

    private List<Finding> rows(Diagnostic d, TargetDatabase target, List<String> schemas) {
        List<Map<String, Object>> rows = d.shared() != null
                ? target.query(query(d), TargetSql.textArray(schemas))
                : target.query(query(d));
        List<Finding> out = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            if (!d.redact().isEmpty()) {
                row = new java.util.HashMap<>(row);
                for (String column : d.redact()) {
                    Object text = row.get(column);
                    row.put(column, text == null ? null : QueryText.redact(String.valueOf(text)));
                }
            }
            Object severity = row.get("severity");
            out.add(new Finding(d.id(), severity == null ? d.severity() : Severity.of(String.valueOf(severity)),
                    String.valueOf(row.get("object")), fill(d, d.message(), row), d.fix() == null ? null
                    : fill(d, d.fix(), row), null));
        }
        return out;
    }

    private List<Finding> statementFindings(Diagnostic d, List<TopStatements.Statement> statements) {
        double slow = settings.threshold("slow-statement-ms");
        List<Finding> out = new ArrayList<>();
        for (TopStatements.Statement s : statements) {
            QueryInput q = s.query();
            Map<String, Object> row = Map.of("object", q.name(), "calls", s.calls(),
                    "total_ms", round(s.totalMs(), 1), "mean_ms", round(s.meanMs(), 2),
                    "frequency", round(q.frequency() == null ? 0 : q.frequency(), 2),
                    "query", oneLine(q.sql()));
            out.add(new Finding(d.id(), s.meanMs() >= slow ? d.severity() : Severity.INFO, q.name(),
                    fill(d, d.message(), row), fill(d, d.fix(), row), null));
        }
        return out;
    }

    private Evidence evidence(Diagnostic d, String check, List<Finding> found, String note, long ms) {
        List<Finding> alarms = found.stream().filter(f -> f.severity() != Severity.INFO).toList();
        String thresholds = d.thresholds().isEmpty() ? "" : " (" + String.join(", ", d.thresholds().keySet().stream()
                .map(n -> n + " " + literal(settings.threshold(n))).toList()) + ")";
        if (alarms.isEmpty()) {
            return new Evidence(check, true, "nothing past its thresholds" + thresholds
                    + (found.isEmpty() ? "" : "; " + found.size() + " informative row(s)") + note, ms);
        }
        Finding first = alarms.get(0);
        return new Evidence(check, false, alarms.size() + " finding(s) at warn or error" + thresholds + ", first: "
                + first.object() + note, ms);
    }

    /** Why a diagnostic could not run, from PostgreSQL's answer (never the target's URL: TargetDatabase names none). */
    static String notRunReason(TargetException e) {
        String state = e.sqlState();
        if ("42501".equals(state)) {
            return "the target's role lacks a permission this diagnostic needs (SQLSTATE 42501): " + e.getMessage();
        }
        if ("57014".equals(state)) {
            return "cancelled by the statement timeout (SQLSTATE 57014): " + e.getMessage();
        }
        return e.getMessage();
    }

    private String fill(Diagnostic d, String template, Map<String, Object> row) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder s = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value;
            if (row.containsKey(name)) {
                value = text(row.get(name));
            } else if (d.thresholds().containsKey(name)) {
                value = literal(settings.threshold(name));
            } else {
                throw new IllegalStateException(d.id() + ": its message names {" + name + "}, which its SQL gives not");
            }
            m.appendReplacement(s, Matcher.quoteReplacement(value));
        }
        return m.appendTail(s).toString();
    }

    private static String text(Object value) {
        if (value instanceof BigDecimal b) {
            return b.stripTrailingZeros().toPlainString();
        }
        if (value instanceof Double v) {
            return literal(v);
        }
        return String.valueOf(value);
    }

    /** A threshold as SQL and as text: an integer without decimals, else plain decimals. */
    static String literal(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("a monitor threshold is a finite number: " + value);
        }
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value)
                : BigDecimal.valueOf(value).toPlainString();
    }

    private static double round(double v, int places) {
        return BigDecimal.valueOf(v).setScale(places, java.math.RoundingMode.HALF_UP).doubleValue();
    }

    private static String oneLine(String sql) {
        String s = sql.replaceAll("\\s+", " ").strip();
        return s.length() > 300 ? s.substring(0, 297) + "…" : s;
    }

}
