package dev.backendteam.contract.access;

import java.util.List;

/**
 * A tenant table and its membership table: users are members of a tenant with one of {@code roles}, listed from the
 * most to the least privileged; the last is the role of a new member.
 */
public record Tenancy(String tenant, String membership, String tenantColumn, String userColumn, String roleColumn,
        List<String> roles) {

    public Tenancy {
        roles = roles == null ? List.of() : List.copyOf(roles);
    }

    /** The most privileged role (e.g. owner): the creator of a tenant gets it. */
    public String firstRole() {
        return roles.isEmpty() ? null : roles.get(0);
    }

    /** Every role but the one new members get; the only role when there is one. */
    public List<String> managingRoles() {
        return roles.size() <= 1 ? roles : roles.subList(0, roles.size() - 1);
    }
}
