package dev.backendteam.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The security specialist in the running product, through Kafka: the new-feature example secured after db-architect
 * and before query-optimizer, and a review of existing SQL, each proven again by the validation round.
 */
@ExtendWith(RunningStack.class)
class SecurityIT {
    private static final Duration JOB_WAIT = Duration.ofSeconds(150);

    private static JsonPath finished(String body) {
        return Jobs.finished(Jobs.submit(body), JOB_WAIT);
    }

    private static Path root() {
        return Path.of(System.getProperty("backend-team.root", "../.."));
    }

    private static List<Map<String, Object>> securityChecks(JsonPath report, String kind) {
        return report.getList("validation").stream().map(v -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) v;
            return m;
        }).filter(v -> "security".equals(v.get("service")) && kind.equals(v.get("kind"))).toList();
    }

    private static Map<String, Object> check(List<Map<String, Object>> checks, String prefix) {
        return checks.stream().filter(c -> String.valueOf(c.get("check")).startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no check '" + prefix + "' in " + checks));
    }

    @Test
    void theNewFeatureExampleIsSecuredBetweenDbArchitectAndQueryOptimizerAndProvenTwice() throws Exception {
        JsonNode job = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(root().resolve(
                "deploy/examples/new-feature.yaml")));
        JsonPath report = finished(new ObjectMapper().writeValueAsString(job));
        assertEquals("completed", report.getString("status"), report.getString("reason"));
        List<String> order = report.getList("steps.findAll { it.kind == 'work' }.service");
        assertEquals(List.of("db-architect", "security", "query-optimizer"), order.subList(0, 3), order.toString());
        List<String> securityMigrations = report.getList(
                "bundle.findAll { it.kind == 'migration' && it.producedBy == 'security' }.name");
        assertEquals(1, securityMigrations.size(), securityMigrations.toString());
        assertTrue(securityMigrations.get(0).endsWith("_grants_and_policies.sql"), securityMigrations.toString());
        assertTrue(report.getList("bundle.name").contains("supabase/tests/rls_matrix.test.sql"));
        for (String kind : List.of("work", "validate")) {
            List<Map<String, Object>> checks = securityChecks(report, kind);
            for (String passed : List.of("access intent", "security lints", "policy recursion", "rls matrix:",
                    "rls matrix sensitivity")) {
                assertEquals("passed", check(checks, passed).get("status"), kind + " " + passed + ": " + checks);
            }
            // the embedded PostgreSQL has no pgTAP: the check says it did not run, never that it passed
            Map<String, Object> pgtap = check(checks, "pgTAP");
            assertEquals("not_run", pgtap.get("status"));
            assertTrue(String.valueOf(pgtap.get("details")).contains("pgTAP is not installed"), pgtap.toString());
        }
        assertTrue(String.valueOf(check(securityChecks(report, "validate"), "rls matrix:").get("details"))
                .startsWith("198 cells"), "the README example's 198 cells");
        List<Map<String, Object>> handover = report.getList(
                "steps.findAll { it.service == 'query-optimizer' && it.kind == 'work' }.findings.flatten()");
        assertTrue(handover.stream().anyMatch(f -> String.valueOf(f.get("message")).contains("public.task")
                && String.valueOf(f.get("message")).contains("user_id")), "query-optimizer got the policy columns: "
                + handover);
        queryOptimizerIndexesTheDeclaredQueriesWithoutRepeatingDbArchitect(report);
        assertTrue(report.getBoolean("proven"), "proven");
    }

    /** The indexes db-architect or the optimizer create, as (table, key list), from their migrations. */
    private static List<String> indexKeys(JsonPath report, String producer) {
        List<String> contents = report.getList("bundle.findAll { it.kind == 'migration' && it.producedBy == '"
                + producer + "' }.content");
        List<String> keys = new java.util.ArrayList<>();
        java.util.regex.Pattern index = java.util.regex.Pattern.compile("(?im)^\\s*create\\s+(?:unique\\s+)?index\\s+"
                + "(?:concurrently\\s+)?(?:if\\s+not\\s+exists\\s+)?\\S+\\s+on\\s+(?:public\\.)?(\\w+)\\s*(?:using\\s+btree\\s*)?"
                + "\\(([^;]*?)\\)\\s*(where[^;]*)?;");
        for (String sql : contents) {
            java.util.regex.Matcher m = index.matcher(sql);
            while (m.find()) {
                keys.add(m.group(1) + "(" + m.group(2).replace(" ", "") + ")" + (m.group(3) == null ? ""
                        : " " + m.group(3).strip()));
            }
        }
        return keys;
    }

    private static void queryOptimizerIndexesTheDeclaredQueriesWithoutRepeatingDbArchitect(JsonPath report) {
        List<Map<String, Object>> work = report.getList("validation").stream().map(v -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) v;
            return m;
        }).filter(v -> "query-optimizer".equals(v.get("service"))).toList();
        List<String> architect = indexKeys(report, "db-architect");
        List<String> optimizer = indexKeys(report, "query-optimizer");
        assertTrue(work.stream().anyMatch(c -> "work".equals(c.get("kind"))
                && "index set proven on the data".equals(c.get("check")) && "passed".equals(c.get("status"))), work
                .toString());
        assertTrue(work.stream().anyMatch(c -> "validate".equals(c.get("kind"))
                && String.valueOf(c.get("check")).startsWith("index set: every kept")
                && "passed".equals(c.get("status"))), work.toString());
        for (String k : optimizer) {
            assertFalse(architect.contains(k), k + " repeats db-architect's " + architect);
        }
        List<String> serves = report.getList(
                "bundle.findAll { it.kind == 'migration' && it.producedBy == 'query-optimizer' }.content");
        assertTrue(serves.stream().anyMatch(s -> s.contains("-- serves \"open_tasks\"") || s.contains(
                "-- serves \"tasks_by_tag\"")), "an index for a declared query: " + serves);
        // each column security's policies filter on leads an index: db-architect's, or one the optimizer proved
        List<Map<String, Object>> policy = report.getList(
                "steps.findAll { it.service == 'query-optimizer' && it.kind == 'work' }.findings.flatten()");
        List<String> said = policy.stream().filter(f -> "input.policy-columns".equals(f.get("ruleId")))
                .map(f -> String.valueOf(f.get("message"))).toList();
        assertEquals(5, said.size(), said.toString());
        assertTrue(said.stream().allMatch(m -> m.contains("already indexed") || m.contains("served by")),
                said.toString());
    }

    @Test
    void aReviewOfExistingSqlDeliversOneProvenFixMigration() throws Exception {
        JsonPath report = finished(Files.readString(root().resolve("deploy/examples/security-review.json")));
        assertEquals("completed", report.getString("status"), report.getString("reason"));
        List<String> migrations = report.getList("bundle.findAll { it.kind == 'migration' }.name");
        assertTrue(migrations.stream().anyMatch(m -> m.endsWith("_fix_security.sql")), migrations.toString());
        List<String> rules = report.getList(
                "steps.findAll { it.service == 'security' && it.kind == 'work' }.findings.flatten().ruleId");
        for (String rule : List.of("security.policy-without-role", "security.always-true-policy",
                "security.policy-per-row-auth-call")) {
            assertTrue(rules.contains(rule), rule + " in " + rules);
        }
        assertEquals("passed", check(securityChecks(report, "validate"), "rls matrix:").get("status"));
    }
}
