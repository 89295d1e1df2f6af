package dev.backendteam.contract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Objects;

/**
 * A step's request that another specialist continue; the orchestrator bounds the depth. {@code diagnosis}, when the
 * handing role diagnosed something, reaches the receiving step as {@link TaskEvent#handoff()}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Handoff(Specialist service, String role, String reason, Diagnosis diagnosis) {

    public Handoff(Specialist service, String role, String reason) {
        this(service, role, reason, null);
    }

    /** Whether this handoff asks for the given service and role (a null role: the service's default role). */
    public boolean targets(Specialist service, String role) {
        return this.service == service && Objects.equals(Role.of(this.service, this.role).map(Role::id)
                .orElse(this.role), Role.of(service, role).map(Role::id).orElse(role));
    }
}
