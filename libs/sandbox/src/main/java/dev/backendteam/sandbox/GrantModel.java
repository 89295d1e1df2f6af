package dev.backendteam.sandbox;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which privileges the API roles ({@code anon}, {@code authenticated}, {@code service_role}) get on what user SQL
 * creates in {@code public}: Supabase's "Default privileges for new entities" setting. Each model has its own
 * template database, so sandboxes of both models can be cloned side by side on one server.
 */
public enum GrantModel {
    /**
     * Supabase today (all projects since 2026-10-30): no default privileges for the API roles. A table or sequence
     * is reachable only after an explicit {@code GRANT}. Functions keep PostgreSQL's own default, EXECUTE for
     * PUBLIC, so anon can call a new function until {@code REVOKE EXECUTE … FROM PUBLIC}.
     */
    EXPLICIT("explicit"),
    /**
     * Supabase before the change: {@code ALTER DEFAULT PRIVILEGES} grants ALL on new tables, sequences and
     * functions in {@code public} to the three API roles; revoking EXECUTE from PUBLIC alone leaves their direct
     * grant in place.
     */
    LEGACY("legacy");

    private final String wire;

    GrantModel(String wire) {
        this.wire = wire;
    }

    /** The name in settings, template names and evidence: {@code explicit} or {@code legacy}. */
    public String wire() {
        return wire;
    }

    /** {@code explicit} or {@code legacy}, in any case; anything else is refused with the valid values. */
    public static GrantModel of(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (GrantModel m : values()) {
            if (m.wire.equals(t)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown grant model '" + text + "': expected one of "
                + Arrays.stream(values()).map(GrantModel::wire).collect(Collectors.joining(", ")));
    }
}
