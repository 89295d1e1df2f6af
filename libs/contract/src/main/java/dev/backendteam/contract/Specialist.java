package dev.backendteam.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The four specialist services (BRIEF §1). Each hosts one or more {@link Role}s; a task names its service (the topic)
 * and its role (which engine of that service runs it).
 */
public enum Specialist {
    DB_ARCHITECT("db-architect"),
    SECURITY("security"),
    QUERY_OPTIMIZER("query-optimizer"),
    OPS("ops");

    private final String id;

    Specialist(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    /** Every role this service hosts, built or not, in the brief's order. */
    public List<Role> roles() {
        return Arrays.stream(Role.values()).filter(r -> r.service() == this).toList();
    }

    /**
     * The role a task without one means: the service's only role, or db-architect's schema role. Ops has three
     * unrelated roles, so an ops task must name one.
     */
    public Optional<Role> defaultRole() {
        return switch (this) {
            case DB_ARCHITECT -> Optional.of(Role.SCHEMA);
            case SECURITY -> Optional.of(Role.SECURITY);
            case QUERY_OPTIMIZER -> Optional.of(Role.QUERY_OPTIMIZER);
            case OPS -> Optional.empty();
        };
    }

    @JsonCreator
    public static Specialist of(String id) {
        for (Specialist s : values()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown specialist '" + id + "'; known: "
                + String.join(", ", Arrays.stream(values()).map(Specialist::id).toList()));
    }
}
