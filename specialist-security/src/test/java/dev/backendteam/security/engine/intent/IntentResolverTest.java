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

    /** A spec the planner's model lifted from the words is a draft: its markers are not the user's declared intent. */
    @Test
    void aSpecAModelDraftedDeclaresNothing() throws Exception {
        SchemaCatalog.Table profile = new SchemaCatalog.Table("public", "profile", true, false, List.of(
                new SchemaCatalog.Column("id", "bigint", true, true, "a", "", List.of()),
                new SchemaCatalog.Column("user_id", "uuid", true, true, "", "", List.of())), List.of("id"),
                List.of(new SchemaCatalog.ForeignKey("profile_user_id_fkey", List.of("user_id"), "c", "auth", "users",
                        List.of("id"))), List.of(), List.of(), List.of(), List.of());
        SchemaCatalog catalog = new SchemaCatalog(List.of(profile));
        com.fasterxml.jackson.databind.JsonNode spec = dev.backendteam.contract.Json.events().readTree(
                "{\"entities\": [{\"name\": \"profile\", \"owner\": true, \"publicRead\": true}]}");
        dev.backendteam.contract.JobInputs given = new dev.backendteam.contract.JobInputs(spec, null, null, null,
                null, null, null, null);
        dev.backendteam.contract.JobInputs drafted = new dev.backendteam.contract.JobInputs(spec, null, null, null,
                null, null, null, null, null, null, null, List.of(dev.backendteam.contract.JobInputs.SPEC));
        assertEquals("marker (publicRead, owner)", IntentResolver.resolve(IntentResolver.declaredSpec(given),
                catalog).intent().tables().get(0).source());
        assertEquals("inferred", IntentResolver.resolve(IntentResolver.declaredSpec(drafted), catalog).intent()
                .tables().get(0).source());
    }
}
