package dev.backendteam.contract.evidence;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * Kind {@code rls-matrix}: every access case executed in the sandbox. {@code actual} tells the two layers apart by
 * the catalog: a denial by a missing grant ({@code deny-grant}) is never counted as RLS doing its job
 * ({@code deny-rls}). {@code sensitivity} shows, for each policy, the cells that change when it is weakened: a
 * matrix that passes with a policy gone proves nothing about that policy.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record RlsMatrix(String grants, List<Case> cases, List<Sensitivity> sensitivity) {

    public RlsMatrix {
        cases = cases == null ? List.of() : List.copyOf(cases);
        sensitivity = sensitivity == null ? List.of() : List.copyOf(sensitivity);
    }

    public RlsMatrix(String grants, List<Case> cases) {
        this(grants, cases, List.of());
    }

    /**
     * @param operation    select, insert, update, delete; insert-foreign (a row for another owner or tenant),
     *                     update-move (a row moved to another owner or tenant), bootstrap (a user creates a tenant and
     *                     becomes its first member)
     * @param actor        owner, other-user, anon, service_role, member:&lt;role&gt;, non-member
     * @param expected     allow, deny-rls or deny-grant (the layer the intent and the grants say refuses it)
     * @param expectedRows rows the intent says the statement sees or changes
     * @param actual       allow, deny-rls, deny-grant or error
     * @param rows         rows the statement saw or changed
     * @param error        the error PostgreSQL raised, when {@code actual} is not allow
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Case(String table, String operation, String actor, String expected, Long expectedRows,
            String actual, Long rows, String sqlState, String error, boolean ok) {

        public Case(String table, String operation, String actor, String expected, String actual, Long rows,
                String sqlState, boolean ok) {
            this(table, operation, actor, expected, null, actual, rows, sqlState, null, ok);
        }
    }

    /**
     * One weakening of one policy ({@code drop} or {@code true}) and the cells it changed ("table/operation/actor");
     * {@code sensitive} is false when none changed.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Sensitivity(String table, String policy, String weakening, List<String> changed,
            boolean sensitive) {

        public Sensitivity {
            changed = changed == null ? List.of() : List.copyOf(changed);
        }
    }
}
