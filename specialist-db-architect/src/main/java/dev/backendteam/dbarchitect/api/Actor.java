package dev.backendteam.dbarchitect.api;

import dev.backendteam.sandbox.JwtClaims;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * Who a Data API request runs as in the API's proofs: the database role PostgREST would switch to and the JWT's
 * user. The owner owns the world-1 rows (and is a member of tenant 1), the stranger owns the world-2 rows (member of
 * tenant 2), the non-member is signed in and owns nothing.
 */
public record Actor(String name, String role, UUID user) {
    public static final UUID OWNER_ID = id("owner");
    public static final UUID STRANGER_ID = id("stranger");
    public static final UUID NON_MEMBER_ID = id("non-member");

    public static final Actor OWNER = new Actor("owner", "authenticated", OWNER_ID);
    public static final Actor STRANGER = new Actor("stranger", "authenticated", STRANGER_ID);
    public static final Actor NON_MEMBER = new Actor("authenticated-non-member", "authenticated", NON_MEMBER_ID);
    public static final Actor ANON = new Actor("anon", "anon", null);
    public static final Actor SERVICE_ROLE = new Actor("service_role", "service_role", null);
    public static final List<Actor> ALL = List.of(OWNER, STRANGER, NON_MEMBER, ANON, SERVICE_ROLE);

    public JwtClaims claims() {
        return switch (role) {
            case "anon" -> JwtClaims.anon();
            case "service_role" -> JwtClaims.serviceRole();
            default -> JwtClaims.authenticated(user);
        };
    }

    public boolean service() {
        return role.equals("service_role");
    }

    static UUID id(String name) {
        return UUID.nameUUIDFromBytes(("backend-team api-data " + name).getBytes(StandardCharsets.UTF_8));
    }
}
