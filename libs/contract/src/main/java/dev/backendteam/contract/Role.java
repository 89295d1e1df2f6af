package dev.backendteam.contract;

import java.util.Arrays;
import java.util.Optional;

/**
 * The nine specialists of the original team, as roles of the four services (BRIEF §1). {@code built} is false for
 * roles whose engine does not exist yet: the orchestrator records their steps as skipped instead of sending them.
 * On the wire a role is its {@link #id()}, in the task's and the result's {@code role} field.
 */
public enum Role {
    SCHEMA("schema", Specialist.DB_ARCHITECT, true),
    API_DATA("api-data", Specialist.DB_ARCHITECT, false),
    WEBSOCKET("websocket", Specialist.DB_ARCHITECT, false),
    SECURITY("security", Specialist.SECURITY, true),
    QUERY_OPTIMIZER("query-optimizer", Specialist.QUERY_OPTIMIZER, true),
    DEPLOYMENT("deployment", Specialist.OPS, true),
    DEBUGGER("debugger", Specialist.OPS, true),
    MONITOR("monitor", Specialist.OPS, true),
    EDGE_FUNCTIONS("edge-functions", Specialist.OPS, true);

    private final String id;
    private final Specialist service;
    private final boolean built;

    Role(String id, Specialist service, boolean built) {
        this.id = id;
        this.service = service;
        this.built = built;
    }

    public String id() {
        return id;
    }

    public Specialist service() {
        return service;
    }

    public boolean built() {
        return built;
    }

    /** "db-architect(api-data)", or just the service where the role is the one a bare service name means. */
    public String label() {
        return service.defaultRole().filter(r -> r == this).isPresent() ? service.id() : service.id() + "(" + id + ")";
    }

    /**
     * The role {@code id} names within {@code service}; a null or blank id means the service's default role.
     * Empty when the service has no such role (or no default).
     */
    public static Optional<Role> of(Specialist service, String id) {
        if (id == null || id.isBlank()) {
            return service.defaultRole();
        }
        String wanted = id.trim().toLowerCase(java.util.Locale.ROOT);
        return Arrays.stream(values()).filter(r -> r.service == service && r.id.equals(wanted)).findFirst();
    }

    /** Why {@code id} names no role of {@code service}, for error messages. */
    public static String unknown(Specialist service, String id) {
        String known = String.join(", ", service.roles().stream().map(Role::id).toList());
        return id == null || id.isBlank()
                ? service.id() + " needs a role (" + known + "); the task names none"
                : service.id() + " has no role '" + id + "'; its roles: " + known;
    }
}
