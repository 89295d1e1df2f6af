package dev.backendteam.contract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** A step's request that another specialist continue; the orchestrator bounds the depth. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Handoff(Specialist service, String role, String reason) {
}
