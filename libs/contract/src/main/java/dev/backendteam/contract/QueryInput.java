package dev.backendteam.contract;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A named query with {@code $n} parameters. {@code frequency} is how often it runs, in calls per minute (null: unknown,
 * every query then weighs the same).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QueryInput(String name, String sql, Double frequency) {

    public QueryInput(String name, String sql) {
        this(name, sql, null);
    }
}
