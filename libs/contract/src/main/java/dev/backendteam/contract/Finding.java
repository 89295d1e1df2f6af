package dev.backendteam.contract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** A lint or diagnosis. {@code line} is 1-based in the submitted text, when the finding points at one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Finding(String ruleId, Severity severity, String object, String message, String fix, Integer line) {

    public static Finding info(String ruleId, String object, String message) {
        return new Finding(ruleId, Severity.INFO, object, message, null, null);
    }
}
