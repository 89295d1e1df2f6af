package dev.backendteam.contract.access;

import java.util.List;
import java.util.Optional;

/**
 * The access intent of a job: every table's rules and the tenancies they refer to. Also the payload of evidence of
 * kind {@code access-intent}, which the report shows in its {@code ## Access} section.
 */
public record AccessIntent(List<Tenancy> tenancies, List<TableIntent> tables) {

    public AccessIntent {
        tenancies = tenancies == null ? List.of() : List.copyOf(tenancies);
        tables = tables == null ? List.of() : List.copyOf(tables);
    }

    public Optional<TableIntent> table(String qualified) {
        return tables.stream().filter(t -> t.table().equals(qualified)).findFirst();
    }

    /**
     * The tenancy of a tenant table, of its membership table, of a table scoped to that tenant, or of a child whose
     * parents (followed up the chain) are.
     */
    public Optional<Tenancy> tenancyOf(TableIntent t) {
        return tenancyOf(t, new java.util.HashSet<>());
    }

    private Optional<Tenancy> tenancyOf(TableIntent t, java.util.Set<String> seen) {
        if (!seen.add(t.table())) {
            return Optional.empty();
        }
        String tenant = t.tenantRoot() ? t.table() : t.tenant();
        Optional<Tenancy> direct = tenancies.stream().filter(x -> x.tenant().equals(tenant)
                || t.membership() && x.membership().equals(t.table())).findFirst();
        if (direct.isPresent()) {
            return direct;
        }
        for (TableIntent.Parent p : t.parents()) {
            Optional<Tenancy> up = table(p.table()).flatMap(parent -> tenancyOf(parent, seen));
            if (up.isPresent()) {
                return up;
            }
        }
        return Optional.empty();
    }
}
