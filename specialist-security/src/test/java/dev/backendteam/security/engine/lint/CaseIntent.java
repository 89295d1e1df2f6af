package dev.backendteam.security.engine.lint;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The intent of a catalogue case, as cases.yaml writes it: per "schema.table", what the lints ask. */
record CaseIntent(Map<String, Table> tables) implements LintIntent {

    record Table(boolean serviceOnly, List<String> anon, List<String> authenticated,
                 @JsonProperty("protected") List<String> protectedColumns) {
    }

    CaseIntent {
        tables = tables == null ? Map.of() : Map.copyOf(tables);
    }

    @Override
    public boolean serviceOnly(String table) {
        Table t = tables.get(table);
        return t != null && t.serviceOnly();
    }

    @Override
    public Optional<Set<String>> privileges(String table, String role) {
        Table t = tables.get(table);
        List<String> p = t == null ? null : "anon".equals(role) ? t.anon() : t.authenticated();
        return Optional.ofNullable(p).map(Set::copyOf);
    }

    @Override
    public Set<String> protectedColumns(String table) {
        Table t = tables.get(table);
        return t == null || t.protectedColumns() == null ? Set.of() : Set.copyOf(t.protectedColumns());
    }
}
