package dev.backendteam.dbarchitect.engine.proof;

import dev.backendteam.contract.access.AccessIntent;
import dev.backendteam.contract.access.Operation;
import dev.backendteam.contract.access.TableIntent;
import dev.backendteam.dbarchitect.engine.design.TableDesign;
import dev.backendteam.dbarchitect.engine.spec.DomainSpec;

import java.util.List;
import java.util.Map;

/**
 * What a table's access markers imply for the Data API privileges of each API role, until the security specialist
 * writes the grants from a full access intent: {@code serviceOnly} → service_role only; {@code publicRead} → anon may
 * select, signed-in users and service_role may do everything RLS then allows; anything else → authenticated and
 * service_role, never anon. RLS (not grants) decides which rows.
 */
public record TableAccess(String table, String marker, Map<String, List<String>> allowed) {
    public static final List<String> API_ROLES = List.of("anon", "authenticated", "service_role");
    public static final List<String> PRIVILEGES = List.of("select", "insert", "update", "delete");

    public TableAccess {
        allowed = Map.copyOf(allowed);
    }

    public List<String> allowed(String role) {
        return allowed.getOrDefault(role, List.of());
    }

    /**
     * The privileges the job's access intent gives each API role on the table (the spec's {@code access} section and
     * markers, read as the security specialist reads them), so that this check and the grants security writes agree.
     */
    public static TableAccess of(TableDesign table, AccessIntent intent) {
        java.util.Optional<TableIntent> t = intent.table(table.qualified());
        if (t.isEmpty()) {
            return of(table);
        }
        java.util.Map<String, List<String>> allowed = new java.util.HashMap<>();
        for (String role : API_ROLES) {
            allowed.put(role, t.get().privileges(role).stream().map(Operation::wire).toList());
        }
        return new TableAccess(table.qualified(), t.get().source(), allowed);
    }

    public static TableAccess of(TableDesign table) {
        DomainSpec.Entity e = table.entity();
        String marker = e.serviceOnly() ? "serviceOnly" : e.publicRead() ? "publicRead"
                : e.owner() != null ? "owner" : e.tenant() != null ? "tenant" : e.membership() != null ? "membership"
                : !e.belongsTo().isEmpty() ? "belongsTo" : table.kind() == TableDesign.Kind.JOIN ? "join" : "none";
        if (e.serviceOnly()) {
            return new TableAccess(table.qualified(), marker, Map.of("service_role", PRIVILEGES));
        }
        return new TableAccess(table.qualified(), marker, Map.of("anon", e.publicRead() ? List.of("select")
                : List.of(), "authenticated", PRIVILEGES, "service_role", PRIVILEGES));
    }
}
