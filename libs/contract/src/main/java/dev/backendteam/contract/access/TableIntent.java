package dev.backendteam.contract.access;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Who may do what to which rows of one table, and the facts that make the rules mean something: the owner column,
 * the tenant column, the parents a child follows. {@code source} says where the rules come from: {@code declared}
 * (the spec's {@code access} section), {@code marker} (the entity's markers), {@code default} (no marker) or
 * {@code inferred} (from the columns of a schema under review; then {@code assumptions} says what was assumed).
 *
 * @param tenantRoot this table is a tenant (e.g. organization): members read it, a signed-in user creates one and
 *                   becomes its first-role member in the same transaction
 * @param membership this table is a tenant's membership table
 * @param join       a many-to-many join table: rows are added and removed, never updated
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record TableIntent(String table, String source, String ownerColumn, String tenant, String tenantColumn,
        boolean tenantRoot, boolean membership, boolean join, boolean serviceOnly, List<Parent> parents,
        Map<Operation, List<Grantee>> rules, List<String> assumptions) {

    /** A parent table this table's rows follow, through a foreign-key column. */
    public record Parent(String table, String column) {
    }

    public TableIntent {
        parents = parents == null ? List.of() : List.copyOf(parents);
        EnumMap<Operation, List<Grantee>> all = new EnumMap<>(Operation.class);
        for (Operation op : Operation.values()) {
            List<Grantee> g = rules == null ? null : rules.get(op);
            all.put(op, g == null ? List.of() : List.copyOf(g));
        }
        rules = java.util.Collections.unmodifiableMap(all);
        assumptions = assumptions == null ? List.of() : List.copyOf(assumptions);
    }

    public List<Grantee> rule(Operation op) {
        return rules.get(op);
    }

    /** The table name without its schema. */
    @JsonIgnore
    public String name() {
        int dot = table.indexOf('.');
        return dot < 0 ? table : table.substring(dot + 1);
    }

    /**
     * The table privileges a Data API role needs for these rules: anon what names {@code anon}, authenticated what
     * names any signed-in grantee, service_role everything.
     */
    public List<Operation> privileges(String apiRole) {
        List<Operation> ops = new ArrayList<>();
        for (Operation op : Operation.values()) {
            boolean needed = switch (apiRole) {
                case "service_role" -> true;
                case "anon" -> rule(op).stream().anyMatch(g -> g.kind() == Grantee.Kind.ANON);
                case "authenticated" -> rule(op).stream().anyMatch(g -> g.kind() != Grantee.Kind.ANON);
                default -> false;
            };
            if (needed) {
                ops.add(op);
            }
        }
        return ops;
    }

    /**
     * The columns that say whose and which tenant's a row is and what it belongs to (owner, tenant, parent columns):
     * the columns policies filter on, which a user's update never changes.
     */
    @JsonIgnore
    public List<String> protectedColumns() {
        java.util.LinkedHashSet<String> cols = new java.util.LinkedHashSet<>();
        if (ownerColumn != null) {
            cols.add(ownerColumn);
        }
        if (tenantColumn != null) {
            cols.add(tenantColumn);
        }
        parents.forEach(p -> cols.add(p.column()));
        return List.copyOf(cols);
    }

    /** Whether a user's update may change this column (owner, tenant and parent columns never change). */
    public boolean protectedColumn(String column) {
        return protectedColumns().contains(column);
    }

    /** The same table with other rules and source. */
    public TableIntent withRules(String newSource, Map<Operation, List<Grantee>> newRules, List<String> notes) {
        return new TableIntent(table, newSource, ownerColumn, tenant, tenantColumn, tenantRoot, membership, join,
                serviceOnly, parents, newRules, notes);
    }
}
