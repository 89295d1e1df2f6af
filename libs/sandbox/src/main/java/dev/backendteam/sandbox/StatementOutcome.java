package dev.backendteam.sandbox;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/**
 * One statement run inside a rolled-back transaction (the RLS matrix's unit): the rows it returned, the rows it
 * affected, or the error the server raised (e.g. 42501 "new row violates row-level security policy").
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StatementOutcome(List<Map<String, Object>> rows, long rowCount, SqlError error, Limit limit,
                               long durationMs) {

    @JsonIgnore
    public boolean ok() {
        return error == null;
    }

    @JsonIgnore
    public String sqlState() {
        return error == null ? null : error.sqlState();
    }
}
