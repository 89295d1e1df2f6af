package dev.backendteam.contract.evidence;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * Kind {@code rls-matrix}: every access case executed in the sandbox. {@code actual} tells the two layers apart: a
 * denial by a missing grant ({@code deny-grant}) is never counted as RLS doing its job ({@code deny-rls}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RlsMatrix(String grants, List<Case> cases) {

    public RlsMatrix {
        cases = cases == null ? List.of() : List.copyOf(cases);
    }

    /**
     * @param operation select, insert, update or delete
     * @param actor     owner, other-user, anon, service_role, member:&lt;role&gt;, non-member
     * @param expected  allow or deny
     * @param actual    allow, deny-rls, deny-grant or error
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Case(String table, String operation, String actor, String expected, String actual, Long rows,
            String sqlState, boolean ok) {
    }
}
