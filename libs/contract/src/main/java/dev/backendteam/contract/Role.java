package dev.backendteam.contract;

import java.util.Arrays;
import java.util.Optional;

/**
 * The nine specialists of the original team, as roles of the four services (BRIEF §1). On the wire a role is its
 * {@link #id()}, in the task's and the result's {@code role} field.
 */
public enum Role {
    SCHEMA("schema", Specialist.DB_ARCHITECT),
    API_DATA("api-data", Specialist.DB_ARCHITECT),
    WEBSOCKET("websocket", Specialist.DB_ARCHITECT),
    SECURITY("security", Specialist.SECURITY),
    QUERY_OPTIMIZER("query-optimizer", Specialist.QUERY_OPTIMIZER),
    DEPLOYMENT("deployment", Specialist.OPS),
    DEBUGGER("debugger", Specialist.OPS),
    MONITOR("monitor", Specialist.OPS),
    EDGE_FUNCTIONS("edge-functions", Specialist.OPS);

    private final String id;
    private final Specialist service;

    Role(String id, Specialist service) {
        this.id = id;
        this.service = service;
    }

    public String id() {
        return id;
    }

    public Specialist service() {
        return service;
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
