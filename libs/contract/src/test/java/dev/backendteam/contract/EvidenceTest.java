package dev.backendteam.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.backendteam.contract.access.AccessIntent;
import dev.backendteam.contract.access.Grantee;
import dev.backendteam.contract.access.Operation;
import dev.backendteam.contract.access.TableIntent;
import dev.backendteam.contract.access.Tenancy;
import dev.backendteam.contract.evidence.CatalogDiff;
import dev.backendteam.contract.evidence.EvidenceKind;
import dev.backendteam.contract.evidence.GrantCheck;
import dev.backendteam.contract.evidence.PlanCosts;
import dev.backendteam.contract.evidence.RlsMatrix;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Evidence on the wire: the status, what old readers see, and the structured kinds against their schemas. */
class EvidenceTest {
    private static final Map<EvidenceKind, Record> SAMPLES = Map.of(
            EvidenceKind.RLS_MATRIX, new RlsMatrix("explicit", List.of(
                    new RlsMatrix.Case("public.comment", "update", "other-user", "deny-rls", 0L, "deny-rls", 0L, null,
                            null, true),
                    new RlsMatrix.Case("public.comment", "select", "anon", "deny-grant", 0L, "deny-grant", null,
                            "42501", "permission denied for table comment", true)),
                    List.of(new RlsMatrix.Sensitivity("public.comment", "comment_update_owner", "drop",
                            List.of("public.comment/update/owner"), true))),
            EvidenceKind.PLAN_COSTS, new PlanCosts(List.of(new PlanCosts.Query("latest_comments", 1843.2, 8.4,
                    41.0, 0.3, List.of("idx_comment_post_id_created_at"), "Limit ← Sort ← Seq Scan on comment",
                    "Limit ← Index Scan using idx_comment_post_id_created_at on comment", 2210L, 12L, 1200.0,
                    "cost −99 %, buffers −99 %")),
                    List.of(new PlanCosts.Index("idx_comment_post_id_created_at", "public.comment",
                            "create index idx_comment_post_id_created_at on public.comment (post_id, created_at desc)",
                            8_192_000L, List.of("latest_comments"), true, "serves 1 query"),
                            new PlanCosts.Index("idx_comment_author_id", "public.comment", null, 4_096_000L, List.of(),
                                    false, "no query's plan uses it")),
                    new PlanCosts.Baseline("an index per filtered column", 1843.2, 95.0, 3, 20_480_000L),
                    new PlanCosts.Totals(1843.2, 8.4, 41.0, 0.3)),
            EvidenceKind.CATALOG_DIFF, new CatalogDiff("before the migrations", "after the down scripts", 42,
                    List.of("table public.comment"), List.of()),
            EvidenceKind.GRANT_CHECK, new GrantCheck("explicit", List.of(new GrantCheck.Row("public.task",
                    "authenticated", "owner", List.of("select", "insert", "update", "delete"), List.of(),
                    "missing"))),
            EvidenceKind.ACCESS_INTENT, new AccessIntent(List.of(new Tenancy("public.organization",
                    "public.membership", "organization_id", "user_id", "role", List.of("owner", "member"))),
                    List.of(new TableIntent("public.task", "marker (owner)", "user_id", null, null, false, false,
                            false, false, List.of(), Map.of(Operation.SELECT, List.of(Grantee.OWNER),
                            Operation.UPDATE, List.of(Grantee.OWNER, Grantee.member("owner"))),
                            List.of("assumed: user_id is the owner")))));

    @Test
    void statusTravelsAndOldReadersStillFindPassed() throws Exception {
        JsonNode passed = Json.events().readTree(Json.write(new Evidence("apply", true, "3 statements", 12)));
        assertEquals("passed", passed.get("status").asText());
        assertTrue(passed.get("passed").asBoolean());
        JsonNode notRun = Json.events().readTree(Json.write(Evidence.notRun("apply", "no sandbox is configured")));
        assertEquals("not_run", notRun.get("status").asText());
        assertFalse(notRun.get("passed").asBoolean(), "a check that did not run never reads as passed");
        assertEquals("no sandbox is configured", notRun.get("details").asText());
    }

    @Test
    void evidenceOfContractVersionOneWithoutStatusIsReadFromPassed() {
        Evidence old = Json.read("{\"check\":\"apply\",\"passed\":true,\"details\":\"ok\",\"durationMs\":5}",
                Evidence.class);
        assertEquals(EvidenceStatus.PASSED, old.status());
        Evidence oldFailed = Json.read("{\"check\":\"apply\",\"passed\":false,\"durationMs\":5}", Evidence.class);
        assertEquals(EvidenceStatus.FAILED, oldFailed.status());
        Evidence newer = Json.read("{\"check\":\"apply\",\"status\":\"not_run\",\"passed\":false,"
                + "\"futureField\":1}", Evidence.class);
        assertEquals(EvidenceStatus.NOT_RUN, newer.status());
    }

    @Test
    void theSandboxAndThePayloadRoundTrip() {
        Evidence e = new Evidence("rls matrix", true, "8 cases", 40)
                .on(new Evidence.SandboxRun("explicit", "17.11"))
                .with(EvidenceKind.RLS_MATRIX.wrap(SAMPLES.get(EvidenceKind.RLS_MATRIX)));
        Evidence back = Json.read(Json.write(e), Evidence.class);
        assertEquals(Json.write(e), Json.write(back));
        assertEquals("explicit", back.sandbox().grants());
        assertEquals(SAMPLES.get(EvidenceKind.RLS_MATRIX), EvidenceKind.read(back.data(), RlsMatrix.class)
                .orElseThrow());
    }

    @Test
    void everyKindsSampleMatchesItsPublishedSchema() throws IOException {
        for (EvidenceKind kind : EvidenceKind.values()) {
            Record sample = SAMPLES.get(kind);
            assertNotNull(sample, "a sample for " + kind.id());
            JsonNode data = kind.wrap(sample).data();
            List<Error> errors = schema(kind).validate(data);
            assertEquals(List.of(), errors, kind.id() + ": " + data);
        }
    }

    @Test
    void aSchemaRefusesDataOfTheWrongShape() throws IOException {
        JsonNode wrong = Json.events().readTree("{\"cases\":[{\"table\":\"t\",\"operation\":\"upsert\","
                + "\"actor\":\"anon\",\"expected\":\"allow\",\"actual\":\"allow\",\"ok\":true}]}");
        assertFalse(schema(EvidenceKind.RLS_MATRIX).validate(wrong).isEmpty(), "upsert is not an operation");
        JsonNode missing = Json.events().readTree("{\"queries\":[{\"query\":\"q\",\"costBefore\":1}]}");
        assertFalse(schema(EvidenceKind.PLAN_COSTS).validate(missing).isEmpty(), "costAfter is required");
    }

    @Test
    void planCostsOfTheFirstShapeAndItsAdditionsAreBothV1() throws IOException {
        Schema planCosts = schema(EvidenceKind.PLAN_COSTS);
        assertEquals(List.of(), planCosts.validate(EvidenceKind.PLAN_COSTS.wrap(new PlanCosts(List.of(
                new PlanCosts.Query("q", 10, 1, null, null, List.of())))).data()), "the first shape still reads");
        assertEquals(List.of(), planCosts.validate(Json.events().readTree("{\"queries\":[],\"indexes\":"
                + "[{\"name\":\"i\"}],\"baseline\":{},\"totals\":{}}")), "every addition is optional");
        PlanCosts sample = (PlanCosts) SAMPLES.get(EvidenceKind.PLAN_COSTS);
        assertEquals(sample, EvidenceKind.read(EvidenceKind.PLAN_COSTS.wrap(sample), PlanCosts.class).orElseThrow());
        for (String wrong : List.of(
                "{\"queries\":[{\"query\":\"q\",\"costBefore\":1,\"costAfter\":1,\"buffersBefore\":1.5}]}",
                "{\"queries\":[{\"query\":\"q\",\"costBefore\":1,\"costAfter\":1,\"frequency\":-1}]}",
                "{\"queries\":[{\"query\":\"q\",\"costBefore\":1,\"costAfter\":1,\"gate\":true}]}",
                "{\"queries\":[],\"indexes\":[{\"table\":\"t\"}]}",
                "{\"queries\":[],\"indexes\":[{\"name\":\"i\",\"sizeBytes\":-1}]}",
                "{\"queries\":[],\"indexes\":[{\"name\":\"i\",\"kept\":\"yes\"}]}",
                "{\"queries\":[],\"indexes\":[{\"name\":\"i\",\"serves\":\"q\"}]}",
                "{\"queries\":[],\"baseline\":{\"indexes\":2.5}}",
                "{\"queries\":[],\"baseline\":{\"cost\":1}}",
                "{\"queries\":[],\"totals\":{\"costAfter\":-1}}")) {
            assertFalse(planCosts.validate(Json.events().readTree(wrong)).isEmpty(), wrong);
        }
    }

    @Test
    void anUnknownKindOrVersionIsNotRead() {
        EvidenceData future = EvidenceData.of("rls-matrix", 2, SAMPLES.get(EvidenceKind.RLS_MATRIX));
        assertTrue(EvidenceKind.of(future).isEmpty());
        assertTrue(EvidenceKind.read(future, RlsMatrix.class).isEmpty());
        assertTrue(EvidenceKind.read(new EvidenceData("flame-graph", 1, null), RlsMatrix.class).isEmpty());
    }

    private static Schema schema(EvidenceKind kind) throws IOException {
        try (InputStream in = EvidenceKind.class.getResourceAsStream(kind.schemaResource())) {
            assertNotNull(in, kind.schemaResource());
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
    }
}
