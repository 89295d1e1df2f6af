package dev.backendteam.contract.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.contract.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The published defaults, read off the spec's markers, and the access section replacing them operation by operation. */
class SpecAccessTest {
    private static final String BRIEF = """
            {"entities": [
              {"name": "organization"},
              {"name": "membership", "tenantMembership": {"tenant": "organization", "roles": ["owner", "admin", "member"]}},
              {"name": "project", "tenant": "organization"},
              {"name": "task", "belongsTo": "project", "owner": true},
              {"name": "profile", "publicRead": true, "owner": true},
              {"name": "audit_event", "serviceOnly": true},
              {"name": "tag"},
              {"name": "task_tag", "manyToMany": ["task", "tag"]}
            ]%s}""";

    private static AccessIntent intent(String access) {
        SpecAccess.Result r = SpecAccess.read(Json.read(BRIEF.formatted(access), JsonNode.class));
        assertEquals(List.of(), r.problems());
        return r.intent();
    }

    private static String rules(AccessIntent intent, String table) {
        TableIntent t = intent.table("public." + table).orElseThrow();
        StringBuilder s = new StringBuilder();
        for (Operation op : Operation.values()) {
            s.append(op.wire()).append('=').append(t.rule(op)).append(' ');
        }
        return s.toString().trim();
    }

    @Test
    void everyShapeOfTheBriefGetsThePublishedDefaults() {
        AccessIntent i = intent("");
        assertEquals("select=[member] insert=[authenticated] update=[member:owner] delete=[member:owner]",
                rules(i, "organization"));
        assertEquals("select=[member] insert=[member:owner] update=[member:owner] delete=[member:owner]",
                rules(i, "membership"));
        assertEquals("select=[member] insert=[member] update=[member] delete=[member:owner, member:admin]",
                rules(i, "project"));
        assertEquals("select=[parent] insert=[owner] update=[owner] delete=[owner]", rules(i, "task"));
        assertEquals("select=[anon, authenticated] insert=[owner] update=[owner] delete=[owner]", rules(i, "profile"));
        assertEquals("select=[] insert=[] update=[] delete=[]", rules(i, "audit_event"));
        assertEquals("select=[authenticated] insert=[] update=[] delete=[]", rules(i, "tag"));
        assertEquals("select=[parent] insert=[parent] update=[] delete=[parent]", rules(i, "task_tag"));
        TableIntent tag = i.table("public.tag").orElseThrow();
        assertEquals("default", tag.source());
        assertTrue(tag.assumptions().get(0).contains("no access marker"), tag.assumptions().toString());
        TableIntent task = i.table("public.task").orElseThrow();
        assertEquals(List.of(new TableIntent.Parent("public.project", "project_id")), task.parents());
        assertTrue(task.protectedColumn("user_id") && task.protectedColumn("project_id"));
        assertEquals(List.of(Operation.SELECT), i.table("public.profile").orElseThrow().privileges("anon"));
        assertEquals(List.of(), i.table("public.audit_event").orElseThrow().privileges("authenticated"));
        assertEquals(List.of(Operation.values()), i.table("public.audit_event").orElseThrow().privileges("service_role"));
        Tenancy t = i.tenancyOf(i.table("public.membership").orElseThrow()).orElseThrow();
        assertEquals("organization_id", t.tenantColumn());
        assertEquals(List.of("owner", "admin"), t.managingRoles());
    }

    @Test
    void aParentNamedWithItsSchemaIsStillAParent() {
        SpecAccess.Result r = SpecAccess.read(Json.read("{\"entities\": [{\"name\": \"post\", \"owner\": true},"
                + " {\"name\": \"comment\", \"belongsTo\": \"public.post\"}]}", JsonNode.class));
        assertEquals(List.of(new TableIntent.Parent("public.post", "post_id")),
                r.intent().table("public.comment").orElseThrow().parents());
    }

    @Test
    void theAccessSectionReplacesTheOperationsItNames() {
        AccessIntent i = intent(", \"access\": {\"task\": {\"update\": [\"owner\", \"member:admin\"]},"
                + " \"tag\": {\"insert\": [\"authenticated\"]}}");
        assertEquals("select=[parent] insert=[owner] update=[owner, member:admin] delete=[owner]", rules(i, "task"));
        assertEquals("declared (update), marker (owner, belongsTo) for the rest",
                i.table("public.task").orElseThrow().source());
        assertEquals(List.of(Operation.SELECT, Operation.INSERT), i.table("public.tag").orElseThrow()
                .privileges("authenticated"));
    }

    @Test
    void grantsThatDoNotFitTheTableAreProblemsWithTheirPlace() {
        SpecAccess.Result r = SpecAccess.read(Json.read(BRIEF.formatted(", \"access\": {\"tag\": {\"select\":"
                + " [\"owner\", \"member\"], \"upsert\": [\"anon\"]}, \"project\": {\"delete\": [\"member:boss\","
                + " \"everyone\"]}, \"ghost\": {}}"), JsonNode.class));
        List<String> where = r.problems().stream().map(p -> p.path() + " " + p.message()).toList();
        assertEquals(6, where.size(), where.toString());
        assertTrue(where.contains("/access/tag/select/0 `owner` needs an owner column: add owner: true to the entity"),
                where.toString());
        assertTrue(where.stream().anyMatch(w -> w.startsWith("/access/tag/select/1 `member` needs a tenant")));
        assertTrue(where.stream().anyMatch(w -> w.startsWith("/access/tag/upsert unknown operation")));
        assertTrue(where.stream().anyMatch(w -> w.startsWith("/access/project/delete/0 `member:boss` names no role")));
        assertTrue(where.stream().anyMatch(w -> w.startsWith("/access/project/delete/1 unknown grantee `everyone`")));
        assertTrue(where.stream().anyMatch(w -> w.startsWith("/access/ghost access names `ghost`")));
    }
}
