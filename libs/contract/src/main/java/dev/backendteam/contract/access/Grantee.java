package dev.backendteam.contract.access;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Who may do an operation, and on which rows, in one access rule. Written as a token:
 * <ul>
 * <li>{@code anon}: signed-out visitors, every row;</li>
 * <li>{@code authenticated}: any signed-in user, every row;</li>
 * <li>{@code owner}: the signed-in user whose id is in the row's owner column;</li>
 * <li>{@code member}: any member of the row's tenant; {@code member:<role>}: members with that role;</li>
 * <li>{@code parent}: whoever may read the row's parent (a child table's rows follow their parent).</li>
 * </ul>
 * On a tenant table every signed-in grantee is also limited to rows of tenants the user is a member of, and on a
 * child table to rows whose parent the user may read. {@code service_role} is not a grantee: it always has every
 * privilege (server-side code, BYPASSRLS).
 */
public record Grantee(Kind kind, String role) {
    public static final Pattern TOKEN = Pattern.compile("^(anon|authenticated|owner|parent|member(:[a-z][a-z0-9_]*)?)$");

    public enum Kind {
        ANON, AUTHENTICATED, OWNER, MEMBER, PARENT
    }

    public static final Grantee ANON = new Grantee(Kind.ANON, null);
    public static final Grantee AUTHENTICATED = new Grantee(Kind.AUTHENTICATED, null);
    public static final Grantee OWNER = new Grantee(Kind.OWNER, null);
    public static final Grantee MEMBER = new Grantee(Kind.MEMBER, null);
    public static final Grantee PARENT = new Grantee(Kind.PARENT, null);

    public static Grantee member(String role) {
        return new Grantee(Kind.MEMBER, role);
    }

    @JsonCreator
    public static Grantee parse(String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException("unknown grantee `" + token + "`; use anon, authenticated, owner, member,"
                    + " member:<role> or parent");
        }
        int colon = token.indexOf(':');
        if (colon > 0) {
            return member(token.substring(colon + 1));
        }
        return new Grantee(Kind.valueOf(token.toUpperCase(Locale.ROOT)), null);
    }

    @JsonValue
    public String wire() {
        return kind == Kind.MEMBER && role != null ? "member:" + role : kind.name().toLowerCase(Locale.ROOT);
    }

    /** The database role the grantee's requests arrive as. */
    public String apiRole() {
        return kind == Kind.ANON ? "anon" : "authenticated";
    }

    @Override
    public String toString() {
        return wire();
    }
}
