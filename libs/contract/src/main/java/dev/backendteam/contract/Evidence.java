package dev.backendteam.contract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** A check that was really run, with its result and timing. Nothing is "validated" without one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Evidence(String check, boolean passed, String details, long durationMs) {
}
