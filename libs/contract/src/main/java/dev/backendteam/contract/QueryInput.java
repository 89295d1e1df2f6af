package dev.backendteam.contract;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A named query with {@code $n} parameters. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QueryInput(String name, String sql) {
}
