package dev.backendteam.security.engine.lint;

import dev.backendteam.contract.Severity;

import java.util.Map;
import java.util.Objects;

/**
 * One rule of the security lint catalogue, as {@code lint/rules.yaml} states it, with the SQL that finds its cases in
 * the catalog ({@code lint/sql/<id>.sql}). {@code message} and {@code fix} are templates: {@code {column}} is
 * filled from the row the SQL returns. A row may name a {@code variant}: the same rule in a case where the severity,
 * the message or the fix differ (e.g. RLS without policy on a table only service_role is meant to reach).
 *
 * @param minServerVersion the rule runs on servers of this version or later ({@code server_version_num}); 0 for all
 */
public record LintRule(String id, Severity severity, String title, String doc, String message, String fix,
                       FixKind fixKind, int minServerVersion, Map<String, Variant> variants, String sql) {

    /** What a variant changes; null fields are the rule's own. */
    public record Variant(Severity severity, String message, String fix, FixKind fixKind) {
    }

    public LintRule {
        Objects.requireNonNull(id, "id");
        fixKind = fixKind == null ? FixKind.SQL : fixKind;
        variants = variants == null ? Map.of() : Map.copyOf(variants);
    }

    LintRule withSql(String text) {
        return new LintRule(id, severity, title, doc, message, fix, fixKind, minServerVersion, variants, text);
    }

    /** The rule as it applies to a row of this variant (null: the rule itself), every field filled in. */
    public Variant resolve(String variant) {
        if (variant == null || variant.isEmpty()) {
            return new Variant(severity, message, fix, fixKind);
        }
        Variant v = variants.get(variant);
        if (v == null) {
            throw new IllegalStateException("rule " + id + " has no variant '" + variant + "' (it has " + variants.keySet() + ")");
        }
        return new Variant(v.severity() != null ? v.severity() : severity, v.message() != null ? v.message() : message,
                v.fix() != null ? v.fix() : fix, v.fixKind() != null ? v.fixKind() : fixKind);
    }
}
