package dev.backendteam.security.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.ArtifactKind;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Json;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.contract.evidence.EvidenceKind;
import dev.backendteam.contract.evidence.RlsMatrix;
import dev.backendteam.contract.access.AccessIntent;
import dev.backendteam.sandbox.PostgresServers;
import dev.backendteam.sandbox.Sandbox;
import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.security.engine.catalog.CatalogReader;
import dev.backendteam.security.engine.catalog.SchemaCatalog;
import dev.backendteam.security.engine.intent.IntentResolver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.backendteam.security.engine.NewFeatureMatrixTest.evidence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The review of review/schema.sql (a clinic-booking app with 22 planted problems): each found by its rule, one fix
 * migration clearing them, the matrix of the fixed schema equal to the hand-written one.
 */
@ExtendWith(PostgresServers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReviewTest {
    /** problems.yaml names the rules in words; the catalogue's ids. */
    private static final Map<String, String> RULES = Map.ofEntries(
            Map.entry("rls-disabled", "security.rls-disabled"),
            Map.entry("policy-without-rls", "security.policy-exists-rls-disabled"),
            Map.entry("rls-without-policy", "security.rls-enabled-no-policy"),
            Map.entry("multiple-permissive-policies", "security.multiple-permissive-policies"),
            Map.entry("always-true-write", "security.always-true-policy"),
            Map.entry("per-row-auth-call", "security.policy-per-row-auth-call"),
            Map.entry("user-metadata-in-policy", "security.policy-reads-user-metadata"),
            Map.entry("policy-without-role", "security.policy-without-role"),
            Map.entry("view-exposes-auth-users", "security.view-exposes-auth-users"),
            Map.entry("security-definer-view", "security.security-definer-view"),
            Map.entry("mutable-search-path", "security.function-search-path-mutable"),
            Map.entry("security-definer-executable", "security.security-definer-function-executable"),
            Map.entry("extension-in-public", "security.extension-in-public"),
            Map.entry("sensitive-columns-exposed", "security.sensitive-columns-exposed"),
            Map.entry("no-primary-key", "security.no-primary-key"),
            Map.entry("unindexed-foreign-key", "security.unindexed-foreign-key"),
            Map.entry("duplicate-index", "security.duplicate-index"),
            Map.entry("update-without-with-check", "security.update-policy-without-with-check"),
            Map.entry("owner-column-changeable", "security.protected-column-updatable"),
            Map.entry("grants-broader-than-intent", "security.grant-broader-than-intent"),
            Map.entry("always-false-policy", "security.always-false-policy"));

    private StepOutcome out;
    private SecurityEngine engine;
    private JsonNode spec;

    @BeforeAll
    void review(PostgresServers.Servers servers) {
        engine = new SecurityEngine(Optional.of(SecuritySandbox.on(servers.pg15())), new CatalogueLints());
        ObjectNode s = Json.events().createObjectNode();
        s.set("access", SecuritySandbox.yaml(SecuritySandbox.resource("review/access.yaml")).get("access"));
        spec = s;
        out = engine.work(SecuritySandbox.task(TaskKind.WORK,
                SecuritySandbox.sqlOnly(SecuritySandbox.resource("review/schema.sql"), spec), List.of()));
        out.evidence().forEach(e -> System.out.println(e.status() + " " + e.check() + " — " + e.details()));
    }

    @Test
    void everyPlantedProblemIsFoundByItsRule() {
        List<String> missed = new ArrayList<>();
        for (JsonNode p : SecuritySandbox.yaml(SecuritySandbox.resource("review/problems.yaml"))) {
            String rule = RULES.get(p.get("rule").asText());
            String object = p.get("object").asText();
            boolean found = out.findings().stream().anyMatch(f -> f.ruleId().equals(rule) && f.object() != null
                    && (f.object().equals(object) || f.object().startsWith(object + ".")
                    || object.startsWith(f.object() + ".") || f.object().startsWith(object + "(")));
            if (!found) {
                missed.add(p.get("n").asText() + " " + rule + " " + object);
            }
        }
        assertEquals(List.of(), missed, "missed; found: " + out.findings().stream()
                .filter(f -> !f.ruleId().equals(SecurityEngine.ASSUMPTION_RULE)).map(f -> f.ruleId() + " " + f.object())
                .toList());
    }

    @Test
    void theFixClearsThemAndTheMatrixOfTheFixedSchemaIsTheHandWrittenOne() {
        assertEquals(ResultStatus.SUCCEEDED, out.status(), out.reason());
        for (Evidence e : out.evidence()) {
            assertTrue(e.status() != EvidenceStatus.FAILED, e.check() + ": " + e.details());
        }
        RlsMatrix matrix = EvidenceKind.read(evidence(out, AccessProof.MATRIX).data(), RlsMatrix.class).orElseThrow();
        ExpectedMatrix file = ExpectedMatrix.read("review/expected-after-fix.yaml");
        assertEquals(List.of(), file.differences(matrix, false), "derived");
        assertEquals(List.of(), file.differences(matrix, true), "executed");
        assertNotNull(out.handoff(), "the missing primary key goes to db-architect");
        assertEquals(Specialist.DB_ARCHITECT, out.handoff().service());
    }

    @Test
    void afterTheFixOnlyWhatItHandsOnRemains(PostgresServers.Servers servers) {
        Sandbox sandbox = SecuritySandbox.on(servers.pg15());
        try (SandboxDatabase db = sandbox.create("review after the fix")) {
            assertTrue(db.apply(SecuritySandbox.resource("review/schema.sql")).ok());
            for (Artifact a : out.artifacts()) {
                if (a.kind() == ArtifactKind.MIGRATION) {
                    assertTrue(db.apply(a.content()).ok(), a.name());
                }
            }
            SchemaCatalog catalog = CatalogReader.read(db);
            AccessIntent intent = IntentResolver.resolve(spec, catalog).intent();
            // notes (severity info) are not problems: audit_log is service-only by the answer, RLS without a policy fits
            List<String> left = new CatalogueLints().lint(db, intent, catalog).stream()
                    .filter(f -> f.severity() != dev.backendteam.contract.Severity.INFO)
                    .map(f -> f.ruleId() + " " + f.object()).toList();
            // pg_trgm can only be moved by its owner (postgres on Supabase), the keyless table goes to db-architect
            assertEquals(List.of("security.extension-in-public pg_trgm",
                    "security.no-primary-key public.clinic_opening_hours"), left.stream().sorted().toList());
        }
    }

    @Test
    void theValidationRoundReplaysTheFixAndFindsNoErrorLeft() {
        List<Artifact> bundle = out.artifacts();
        StepOutcome again = engine.validate(SecuritySandbox.task(TaskKind.VALIDATE,
                SecuritySandbox.sqlOnly(SecuritySandbox.resource("review/schema.sql"), spec), bundle));
        for (Evidence e : again.evidence()) {
            assertEquals(EvidenceStatus.PASSED, e.status(), e.check() + ": " + e.details());
        }
        List<Finding> errors = again.findings().stream().filter(f -> f.severity() == dev.backendteam.contract.Severity.ERROR)
                .toList();
        assertEquals(List.of(), errors);
        assertTrue(bundle.stream().anyMatch(a -> a.kind() == ArtifactKind.MIGRATION
                && a.name().equals(SecurityEngine.MIGRATION_FIX)));
    }
}
