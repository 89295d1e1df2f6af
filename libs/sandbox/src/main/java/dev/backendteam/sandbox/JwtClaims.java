package dev.backendteam.sandbox;

import dev.backendteam.contract.Json;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** The JWT claims a Supabase request carries, as {@code auth.uid()}, {@code auth.role()} and {@code auth.jwt()} read them. */
public record JwtClaims(UUID sub, String role, String email, Map<String, Object> extra) {

    public JwtClaims {
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }

    /** A signed-in user: {@code {"sub": id, "role": "authenticated"}}. */
    public static JwtClaims authenticated(UUID userId) {
        return new JwtClaims(userId, "authenticated", null, Map.of());
    }

    /** The anonymous key: {@code {"role": "anon"}}. */
    public static JwtClaims anon() {
        return new JwtClaims(null, "anon", null, Map.of());
    }

    /** The service key: {@code {"role": "service_role"}}. */
    public static JwtClaims serviceRole() {
        return new JwtClaims(null, "service_role", null, Map.of());
    }

    public JwtClaims withEmail(String address) {
        return new JwtClaims(sub, role, address, extra);
    }

    /** The value of {@code request.jwt.claims}. */
    public String toJson() {
        Map<String, Object> claims = new LinkedHashMap<>();
        if (sub != null) {
            claims.put("sub", sub.toString());
        }
        if (role != null) {
            claims.put("role", role);
        }
        if (email != null) {
            claims.put("email", email);
        }
        claims.putAll(extra);
        return Json.write(claims);
    }
}
