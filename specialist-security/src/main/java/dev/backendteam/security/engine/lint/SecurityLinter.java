package dev.backendteam.security.engine.lint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backendteam.contract.Finding;
import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.sandbox.SandboxException;
import dev.backendteam.sandbox.SandboxSqlException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Runs the security lint catalogue against the real catalog of a sandbox database where the schema under review has
 * been applied. Each rule's SQL gets one parameter, the lint context as jsonb: the exposed and ignored schemas, the
 * sensitive column names, and what the intent says about every table ({@code tables.sql} lists them). A rule whose
 * SQL fails is reported as {@code security.lint-failed} and the others still run.
 */
public final class SecurityLinter {
    /** Supabase's Data API exposes {@code public} unless the project says otherwise. */
    public static final List<String> DEFAULT_EXPOSED_SCHEMAS = List.of("public");
    static final List<String> API_ROLES = List.of("anon", "authenticated");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_][a-z0-9_]*)}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Comparator<Finding> ORDER = Comparator.comparing(Finding::severity)
            .thenComparing(Finding::ruleId)
            .thenComparing(Finding::object, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Finding::message, Comparator.nullsFirst(Comparator.naturalOrder()));

    private final LintCatalogue catalogue;
    private final List<String> exposedSchemas;

    public SecurityLinter() {
        this(LintCatalogue.standard(), DEFAULT_EXPOSED_SCHEMAS);
    }

    public SecurityLinter(List<String> exposedSchemas) {
        this(LintCatalogue.standard(), exposedSchemas);
    }

    /** {@code exposedSchemas}: the schemas the Data API serves; the catalogue's ignored schemas never count as exposed. */
    public SecurityLinter(LintCatalogue catalogue, List<String> exposedSchemas) {
        this.catalogue = catalogue;
        this.exposedSchemas = exposedSchemas.stream().filter(s -> !catalogue.ignoredSchemas().contains(s)).toList();
    }

    public LintCatalogue catalogue() {
        return catalogue;
    }

    public List<String> exposedSchemas() {
        return exposedSchemas;
    }

    /** Every finding of every rule, ordered by severity, rule and object. */
    public List<Finding> lint(SandboxDatabase db, LintIntent intent) {
        List<Finding> findings = new ArrayList<>();
        List<String> tables = List.of();
        try {
            tables = db.query(catalogue.tablesSql(), context(List.of(), intent)).stream()
                    .map(row -> String.valueOf(row.get("tbl"))).toList();
        } catch (SandboxException e) {
            findings.add(failed("tables.sql", e));
        }
        String context = context(tables, intent);
        for (LintRule rule : catalogue.rules()) {
            if (db.serverVersionNum() < rule.minServerVersion()) {
                continue;
            }
            try {
                for (Map<String, Object> row : db.query(rule.sql(), context)) {
                    findings.add(finding(rule, row));
                }
            } catch (SandboxException | IllegalStateException e) {
                findings.add(failed(rule.id(), e));
            }
        }
        findings.sort(ORDER);
        return List.copyOf(findings);
    }

    private Finding failed(String what, RuntimeException e) {
        LintRule f = catalogue.failure();
        String reason = e instanceof SandboxSqlException sql ? sql.error().summary() : e.getMessage();
        Map<String, Object> row = Map.of("object", what, "reason", reason == null ? e.getClass().getSimpleName() : reason);
        LintRule.Variant v = f.resolve(null);
        return new Finding(f.id(), v.severity(), what, fill(v.message(), row, f), v.fix() == null ? null
                : v.fixKind().prefix() + fill(v.fix(), row, f), null);
    }

    private static Finding finding(LintRule rule, Map<String, Object> row) {
        Object object = row.get("object");
        if (object == null) {
            throw new IllegalStateException("rule " + rule.id() + ": its SQL returned a row without an object");
        }
        Object variant = row.get("variant");
        LintRule.Variant v = rule.resolve(variant == null ? null : variant.toString());
        String fix = v.fixKind() == FixKind.NONE || v.fix() == null ? null : v.fixKind().prefix() + fill(v.fix(), row, rule);
        return new Finding(rule.id(), v.severity(), object.toString(), fill(v.message(), row, rule), fix, null);
    }

    private static String fill(String template, Map<String, Object> row, LintRule rule) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            if (!row.containsKey(m.group(1))) {
                throw new IllegalStateException("rule " + rule.id() + ": its template names {" + m.group(1)
                        + "}, which its SQL does not return (it returns " + row.keySet() + ")");
            }
            Object value = row.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value.toString()));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The lint context every rule's SQL reads from its one parameter. */
    private String context(List<String> tables, LintIntent intent) {
        Map<String, Object> perTable = new LinkedHashMap<>();
        for (String table : tables) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("serviceOnly", intent.serviceOnly(table));
            t.put("protected", new TreeSet<>(intent.protectedColumns(table)));
            for (String role : API_ROLES) {
                Optional<Set<String>> privileges = intent.privileges(table, role);
                t.put(role, privileges.map(p -> p.stream().map(s -> s.toLowerCase(Locale.ROOT))
                        .collect(Collectors.toCollection(TreeSet::new))).orElse(null));
            }
            perTable.put(table, t);
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("exposed", exposedSchemas);
        c.put("ignored", catalogue.ignoredSchemas());
        c.put("sensitive", catalogue.sensitiveColumns());
        c.put("tables", perTable);
        try {
            return JSON.writeValueAsString(c);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the lint context", e);
        }
    }
}
