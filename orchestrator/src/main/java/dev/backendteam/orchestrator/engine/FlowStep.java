package dev.backendteam.orchestrator.engine;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.backendteam.contract.Role;
import dev.backendteam.contract.Specialist;

import java.util.Objects;

/**
 * One planned turn of a specialist: a service and one of its roles ({@code role} null means the service's default
 * role, and is stored as that role's id). {@code origin} is null for steps of the flow itself and "handoff" for steps
 * a specialist asked for.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FlowStep(Specialist service, String role, String origin) {

    public FlowStep {
        Objects.requireNonNull(service, "a step needs a service");
        role = Role.of(service, role).map(Role::id).orElse(role);
    }

    /** The role this step names, if the service has it. */
    @JsonIgnore
    public java.util.Optional<Role> resolved() {
        return Role.of(service, role);
    }

    public String label() {
        return resolved().map(Role::label).orElse(role == null ? service.id() : service.id() + "(" + role + ")");
    }

    public String originOrFlow() {
        return origin == null ? "flow" : origin;
    }

    public boolean sameTurn(FlowStep other) {
        return service == other.service && Objects.equals(role, other.role);
    }
}
