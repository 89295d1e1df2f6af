package dev.backendteam.orchestrator.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.backendteam.contract.Specialist;

import java.util.Objects;

/**
 * One planned turn of a specialist; {@code role} selects ops's deployment/debugger/monitor. {@code origin} is
 * null for steps of the flow itself and "handoff" for steps a specialist asked for.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FlowStep(Specialist service, String role, String origin) {

    public String label() {
        return role == null ? service.id() : service.id() + "(" + role + ")";
    }

    public String originOrFlow() {
        return origin == null ? "flow" : origin;
    }

    public boolean sameTurn(FlowStep other) {
        return service == other.service && Objects.equals(role, other.role);
    }
}
