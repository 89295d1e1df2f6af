package dev.backendteam.contract.llm;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One call to a language model, as accounted (BRIEF §6a): which provider and model, what for, the tokens the provider
 * reported (0 when it reported none), how long it took including retries, how many retries it needed, how many tool
 * calls its answer asked for, and the error when it failed in the end.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelCall(String provider, String model, String purpose, long tokensIn, long tokensOut, long latencyMs,
        int retries, int toolCalls, String error) {

    public long tokens() {
        return tokensIn + tokensOut;
    }
}
