package dev.backendteam.ops.debugger;

import dev.backendteam.contract.Role;
import dev.backendteam.contract.Specialist;

/**
 * Who owns the fix of a rule: a specialist service and, for ops, its role ({@code ops(deployment)}); or nobody of the
 * team ({@code none}): the fix is in the user's own application code, and the debugger hands off to no one.
 */
public record Owner(Specialist service, String role) {
    private static final Owner NONE = new Owner(null, null);

    public static Owner parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.equals("none")) {
            return NONE;
        }
        int paren = t.indexOf('(');
        String service = paren < 0 ? t : t.substring(0, paren);
        String role = paren < 0 ? null : t.substring(paren + 1, t.endsWith(")") ? t.length() - 1 : t.length());
        Specialist s = Specialist.of(service);
        if (Role.of(s, role).isEmpty()) {
            throw new IllegalArgumentException(Role.unknown(s, role));
        }
        return new Owner(s, role);
    }

    public boolean none() {
        return service == null;
    }

    /** {@code db-architect}, {@code ops(deployment)} or {@code none}. */
    public String label() {
        return none() ? "none" : role == null ? service.id() : service.id() + "(" + role + ")";
    }
}
