package dev.backendteam.security.engine.lint;

import java.util.Optional;
import java.util.Set;

/** What the access intent says, as the lints need it. Tables are "schema.table". */
public interface LintIntent {

    /** Only service_role is meant to reach this table: RLS on with no policy is then correct, not a finding. */
    boolean serviceOnly(String table);

    /**
     * The privileges (select, insert, update, delete) {@code role} (anon, authenticated) may hold on {@code table} by
     * intent; empty Optional when no intent is known for the table (then grant-breadth is not judged).
     */
    Optional<Set<String>> privileges(String table, String role);

    /** The columns that say whose or which tenant's a row is (e.g. user_id, organization_id), which a user must never change. */
    Set<String> protectedColumns(String table);

    /** No intent at all: every table judged by patterns only. */
    static LintIntent none() {
        return new LintIntent() {
            @Override
            public boolean serviceOnly(String table) {
                return false;
            }

            @Override
            public Optional<Set<String>> privileges(String table, String role) {
                return Optional.empty();
            }

            @Override
            public Set<String> protectedColumns(String table) {
                return Set.of();
            }

            @Override
            public String toString() {
                return "LintIntent.none()";
            }
        };
    }
}
