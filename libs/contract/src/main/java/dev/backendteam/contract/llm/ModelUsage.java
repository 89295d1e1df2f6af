package dev.backendteam.contract.llm;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The model calls of a step (a result's {@code usage}) or of a whole job, with their sums. The sums are derived from
 * the calls and written for readers; reading ignores them.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelUsage(List<ModelCall> calls) {
    public static final ModelUsage NONE = new ModelUsage(List.of());

    public ModelUsage {
        calls = calls == null ? List.of() : List.copyOf(calls);
    }

    public static ModelUsage of(Collection<ModelUsage> parts) {
        List<ModelCall> all = new ArrayList<>();
        parts.stream().filter(p -> p != null).forEach(p -> all.addAll(p.calls()));
        return new ModelUsage(all);
    }

    /** Not a property: without the annotation Jackson would write {@code "empty"} into every result. */
    @JsonIgnore
    public boolean isEmpty() {
        return calls.isEmpty();
    }

    @JsonProperty
    public long tokensIn() {
        return calls.stream().mapToLong(ModelCall::tokensIn).sum();
    }

    @JsonProperty
    public long tokensOut() {
        return calls.stream().mapToLong(ModelCall::tokensOut).sum();
    }

    @JsonProperty
    public long tokens() {
        return tokensIn() + tokensOut();
    }

    @JsonProperty
    public long latencyMs() {
        return calls.stream().mapToLong(ModelCall::latencyMs).sum();
    }

    @JsonProperty
    public int retries() {
        return calls.stream().mapToInt(ModelCall::retries).sum();
    }

    @JsonProperty
    public int toolCalls() {
        return calls.stream().mapToInt(ModelCall::toolCalls).sum();
    }
}
