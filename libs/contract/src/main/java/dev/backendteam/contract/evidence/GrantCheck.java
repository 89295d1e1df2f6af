package dev.backendteam.contract.evidence;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * Kind {@code grant-check}: the privileges each API role holds on each table (from the real catalog, PUBLIC and
 * memberships included), against what the table's access intent implies, under the sandbox's grant model.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GrantCheck(String grants, List<Row> rows) {

    public GrantCheck {
        rows = rows == null ? List.of() : List.copyOf(rows);
    }

    /**
     * @param intent  the marker the expectation comes from (owner, publicRead, serviceOnly, tenant, none…)
     * @param verdict ok, missing (the role needs a grant it lacks) or excess (it holds more than the intent allows)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Row(String table, String role, String intent, List<String> expected, List<String> actual,
            String verdict) {
        public Row {
            expected = expected == null ? List.of() : List.copyOf(expected);
            actual = actual == null ? List.of() : List.copyOf(actual);
        }
    }
}
