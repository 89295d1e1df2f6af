package dev.backendteam.security.engine.intent;

import dev.backendteam.security.engine.catalog.SchemaCatalog;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which membership role is the most privileged: by name where every name is known, else as the schema lists them. */
class IntentResolverTest {

    private static SchemaCatalog.Table membership(List<String> enumValues, List<String> checks) {
        SchemaCatalog.Column role = new SchemaCatalog.Column("role", "text", true, true, "", "", enumValues);
        return new SchemaCatalog.Table("public", "membership", true, false, List.of(role), List.of(), List.of(),
                checks, List.of(), List.of(), List.of());
    }

    @Test
    void knownRoleNamesAreRankedWhateverTheOrderTheyAreDeclaredIn() {
        SchemaCatalog.Table t = membership(List.of("member", "admin", "owner"), List.of());
        assertEquals(List.of("owner", "admin", "member"), IntentResolver.roles(t, t.columns().get(0)));
    }

    @Test
    void unknownNamesKeepTheCheckConstraintsOrder() {
        SchemaCatalog.Table t = membership(List.of(), List.of(
                "CHECK ((role = ANY (ARRAY['captain'::text, 'crew'::text, 'passenger'::text])))"));
        assertEquals(List.of("captain", "crew", "passenger"), IntentResolver.roles(t, t.columns().get(0)));
    }
}
