package dev.backendteam.contract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a job was given besides its task text. {@code target} is the name of a database configured in the
 * environment, never a URL. {@code grants} is the grant model of the user's Supabase project ({@code explicit}, the
 * default since 2026-10-30, or {@code legacy} for a project that still has the old auto-grants); null means the
 * service's default. SQL files among {@code files} are the project's existing migrations ({@link #baseMigrations()}).
 * {@code writeRates} says how often each table is written (rows per second), {@code explain} is a plan the user
 * pasted (EXPLAIN's text output as a string, or its JSON format). {@code drafted} names the inputs a model lifted
 * from the task's words rather than the user giving them ({@link #SPEC}, {@link #QUERIES}, {@link #ROW_COUNTS}): what a
 * model drafted is never taken as the user's declared intent. Requests cannot set it.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobInputs(JsonNode spec, String sql, List<QueryInput> queries, Map<String, Long> rowCounts, String logs,
        List<FileInput> files, String target, List<Clarification> clarifications, String grants,
        Map<String, WriteRate> writeRates, JsonNode explain, List<String> drafted) {
    public static final String SPEC = "spec";
    public static final String QUERIES = "queries";
    public static final String ROW_COUNTS = "rowCounts";

    public JobInputs {
        drafted = drafted == null ? List.of() : List.copyOf(new java.util.LinkedHashSet<>(drafted));
        queries = queries == null ? List.of() : List.copyOf(queries);
        rowCounts = rowCounts == null ? Map.of() : Map.copyOf(rowCounts);
        writeRates = writeRates == null ? Map.of() : Map.copyOf(writeRates);
        explain = explain == null || explain.isNull() || explain.isMissingNode() ? null : explain;
        files = files == null ? List.of() : List.copyOf(files);
        clarifications = clarifications == null ? List.of() : List.copyOf(clarifications);
    }

    public JobInputs(JsonNode spec, String sql, List<QueryInput> queries, Map<String, Long> rowCounts, String logs,
            List<FileInput> files, String target, List<Clarification> clarifications, String grants,
            Map<String, WriteRate> writeRates, JsonNode explain) {
        this(spec, sql, queries, rowCounts, logs, files, target, clarifications, grants, writeRates, explain, null);
    }

    public JobInputs(JsonNode spec, String sql, List<QueryInput> queries, Map<String, Long> rowCounts, String logs,
            List<FileInput> files, String target, List<Clarification> clarifications, String grants) {
        this(spec, sql, queries, rowCounts, logs, files, target, clarifications, grants, null, null);
    }

    public JobInputs(JsonNode spec, String sql, List<QueryInput> queries, Map<String, Long> rowCounts, String logs,
            List<FileInput> files, String target, List<Clarification> clarifications) {
        this(spec, sql, queries, rowCounts, logs, files, target, clarifications, null);
    }

    public static JobInputs empty() {
        return new JobInputs(null, null, null, null, null, null, null, null, null);
    }

    /** The same inputs with another spec (e.g. a spec sent as YAML text, once read). */
    public JobInputs withSpec(JsonNode other) {
        return new JobInputs(other, sql, queries, rowCounts, logs, files, target, clarifications, grants, writeRates,
                explain, drafted);
    }

    /** Whether a model, not the user, gave this input ({@link #SPEC}, {@link #QUERIES}, {@link #ROW_COUNTS}). */
    public boolean drafted(String input) {
        return drafted.contains(input);
    }

    public boolean hasExplain() {
        return explain != null && !(explain.isTextual() && explain.asText().isBlank());
    }

    /** The project's existing migrations among {@code files}, in the order they apply (see {@link BaseMigrations}). */
    public List<FileInput> baseMigrations() {
        return BaseMigrations.of(files);
    }

    public boolean hasSpec() {
        return spec != null && !spec.isNull() && !spec.isEmpty();
    }

    public boolean hasSql() {
        return sql != null && !sql.isBlank();
    }

    public boolean hasQueries() {
        return !queries.isEmpty();
    }

    public boolean hasLogs() {
        return logs != null && !logs.isBlank();
    }

    public boolean hasFiles() {
        return !files.isEmpty();
    }

    /** Fields given in {@code more} win; lists are appended; the clarification is recorded. */
    public JobInputs merge(JobInputs more, Clarification clarification) {
        // A kind of input the user gives replaces what a model drafted of that kind.
        List<QueryInput> q = new ArrayList<>(drafted(QUERIES) && more.hasQueries() && !more.drafted(QUERIES)
                ? List.of() : queries);
        q.addAll(more.queries());
        Map<String, Long> rc = new LinkedHashMap<>(drafted(ROW_COUNTS) && !more.rowCounts().isEmpty()
                && !more.drafted(ROW_COUNTS) ? Map.of() : rowCounts);
        rc.putAll(more.rowCounts());
        List<FileInput> f = new ArrayList<>(files);
        f.addAll(more.files());
        List<Clarification> c = new ArrayList<>(clarifications);
        c.addAll(more.clarifications());
        if (clarification != null) {
            c.add(clarification);
        }
        Map<String, WriteRate> wr = new LinkedHashMap<>(writeRates);
        wr.putAll(more.writeRates());
        // What `more` gives replaces a drafted input of that kind, and is drafted only if `more` says so.
        List<String> d = new ArrayList<>(drafted);
        if (more.hasSpec()) {
            d.remove(SPEC);
        }
        if (more.hasQueries() && !more.drafted(QUERIES)) {
            d.remove(QUERIES);
        }
        if (!more.rowCounts().isEmpty() && !more.drafted(ROW_COUNTS)) {
            d.remove(ROW_COUNTS);
        }
        d.addAll(more.drafted());
        return new JobInputs(more.hasSpec() ? more.spec() : spec, more.hasSql() ? more.sql() : sql, q, rc,
                more.hasLogs() ? more.logs() : logs, f, more.target() != null ? more.target() : target, c,
                more.grants() != null ? more.grants() : grants, wr, more.hasExplain() ? more.explain() : explain, d);
    }
}
