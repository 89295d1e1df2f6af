package dev.backendteam.queryoptimizer.targetdb;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Severity;
import dev.backendteam.sandbox.targetdb.TargetSql;
import dev.backendteam.sandbox.targetdb.TargetSql.CatalogQuery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Findings on the indexes a database already has — duplicate, redundant (a prefix of another), invalid and, where
 * the counters mean something, unused — from the rules of indexes/catalogue.yaml, each an SQL file over the catalog
 * kept in libs/sandbox (targetdb/indexes/, which the ops monitor reads too).
 * Reads through {@link CatalogQuery}, so the same rules run on a sandbox ({@code SandboxDatabase::query}) and on a
 * target ({@code TargetDatabase::query}, read-only).
 */
public final class ExistingIndexes {
    private static final Catalogue CATALOGUE = load();
    private static final String INDEXES = TargetSql.read("indexes/indexes.sql");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\w+)}");

    private ExistingIndexes() {
    }

    /** One rule of the catalogue; {@code usage}: it reads usage counters (unused indexes). */
    public record Rule(String id, Severity severity, String sql, boolean usage, String message, String fix,
            String doc) {
    }

    record Catalogue(List<Rule> rules) {
    }

    public static List<Rule> rules() {
        return CATALOGUE.rules();
    }

    /**
     * The findings on the indexes of these schemas' tables. {@code withUsage}: also the rules that read usage
     * counters — only on a database with real traffic (a target): in a sandbox every index is unused.
     */
    public static List<Finding> find(CatalogQuery db, List<String> schemas, boolean withUsage) {
        List<Finding> out = new ArrayList<>();
        for (Rule rule : CATALOGUE.rules()) {
            if (rule.usage() && !withUsage) {
                continue;
            }
            out.addAll(find(db, schemas, rule));
        }
        return out;
    }

    /** The findings of one rule. */
    public static List<Finding> find(CatalogQuery db, List<String> schemas, Rule rule) {
        String sql = "with " + INDEXES.strip() + "\n" + TargetSql.read("indexes/" + rule.sql());
        List<Finding> out = new ArrayList<>();
        for (Map<String, Object> row : db.query(sql, TargetSql.textArray(schemas))) {
            out.add(new Finding(rule.id(), rule.severity(), row.get("schema") + "." + row.get("index"),
                    fill(rule.message(), row), fill(rule.fix(), row), null));
        }
        return out;
    }

    static String fill(String template, Map<String, Object> row) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder s = new StringBuilder();
        while (m.find()) {
            if (!row.containsKey(m.group(1))) {
                throw new IllegalStateException("the rule's SQL gives no column " + m.group(1));
            }
            m.appendReplacement(s, Matcher.quoteReplacement(String.valueOf(row.get(m.group(1)))));
        }
        return m.appendTail(s).toString();
    }

    private static Catalogue load() {
        try (var in = ExistingIndexes.class.getResourceAsStream("/dev/backendteam/queryoptimizer/indexes/catalogue.yaml")) {
            if (in == null) {
                throw new IllegalStateException("missing resource indexes/catalogue.yaml");
            }
            return YAMLMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build()
                    .readValue(in, Catalogue.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
