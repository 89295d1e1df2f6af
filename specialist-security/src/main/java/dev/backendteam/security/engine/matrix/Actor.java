package dev.backendteam.security.engine.matrix;

import dev.backendteam.sandbox.JwtClaims;

import java.util.UUID;

/** One column of the RLS matrix: who the statement runs as (database role and JWT claims). */
public record Actor(String name, String role, UUID user) {

    public static final Actor ANON = new Actor("anon", "anon", null);
    public static final Actor SERVICE_ROLE = new Actor("service_role", "service_role", null);

    public JwtClaims claims() {
        return switch (role) {
            case "anon" -> JwtClaims.anon();
            case "service_role" -> JwtClaims.serviceRole();
            default -> JwtClaims.authenticated(user);
        };
    }

    public boolean signedIn() {
        return user != null;
    }

    public boolean service() {
        return role.equals("service_role");
    }
}
