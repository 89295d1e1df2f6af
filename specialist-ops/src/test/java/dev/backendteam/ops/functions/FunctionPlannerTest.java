package dev.backendteam.ops.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the planner reads from the task's words (only what is unambiguous) and what it refuses in a spec. */
class FunctionPlannerTest {
    private static final FunctionPlanner PLANNER = new FunctionPlanner(FunctionCatalogue.bundled());
    private static final Set<String> TABLES = Set.of("payment", "task", "github_event");

    @Test
    void schedulesFromTheWordsAreCronInUtc() {
        assertEquals("30 18 * * *", words("Every day at 6:30 pm send a digest of tasks through SendGrid.").schedule());
        assertEquals("0 8 * * *", words("daily at 8 email the new tasks via Postmark").schedule());
        assertEquals("0 * * * *", words("Hourly, email a task digest with Resend.").schedule());
        EdgeFunction digest = words("Every day at 8 email the team a digest of new tasks via Resend.");
        assertEquals(List.of("task"), digest.reads());
        assertEquals("resend", digest.email());
    }

    @Test
    void aWebhookTakesTheTablesOfItsOwnSentenceOnly() {
        FunctionPlanner.Plan plan = PLANNER.plan(null, "Tasks per project. A Stripe webhook records payments.", TABLES);
        assertEquals(1, plan.functions().size());
        assertEquals(List.of("payment"), plan.functions().get(0).writes());
    }

    @Test
    void anEmailApiWithoutATriggerIsAWarningNotAGuess() {
        FunctionPlanner.Plan plan = PLANNER.plan(null, "Send welcome emails via Resend.", TABLES);
        assertEquals(List.of(), plan.functions());
        assertEquals("functions.trigger-unknown", plan.findings().get(0).ruleId());
        assertEquals(List.of(), PLANNER.plan(null, "We use webhooks a lot. Stripe is our biller; GitHub hosts code.",
                TABLES).functions(), "a provider and 'webhook' in different sentences are not a webhook");
    }

    @Test
    void aSpecSectionIsCheckedAgainstTheBundlesTables() throws IOException {
        JsonNode spec = new YAMLMapper().readTree("""
                functions:
                  - { name: hook, kind: webhook, provider: paypal, writes: [payments] }
                  - { name: hook, kind: cron }
                  - { name: ok-one, kind: http, secrets: [lowercase] }
                """);
        List<String> problems = PLANNER.plan(spec, "", TABLES).problems();
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("/functions/0/provider")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("`payments` is not among")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("/functions/1/kind")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("`lowercase` is not an environment name")),
                problems.toString());
        JsonNode fixed = new YAMLMapper().readTree("""
                functions: [{ name: hook, kind: webhook, provider: stripe, writes: [payment] }]
                """);
        assertEquals(List.of(), PLANNER.plan(fixed, "", TABLES).problems());
    }

    @Test
    void aScheduleIsCronFieldsOnlySinceItIsWrittenIntoTheReadmesSql() throws IOException {
        JsonNode quoted = new YAMLMapper().readTree("""
                functions: [{ name: digest, kind: scheduled, schedule: "0 8 * * *');--" }]
                """);
        assertTrue(PLANNER.plan(quoted, "", TABLES).problems().stream().anyMatch(p -> p.startsWith(
                "/functions/0/schedule")), "a quote would end the cron.schedule literal");
        JsonNode cron = new YAMLMapper().readTree("""
                functions: [{ name: digest, kind: scheduled, schedule: "*/15 8-18 * jan-jun MON-FRI" }]
                """);
        assertEquals(List.of(), PLANNER.plan(cron, "", TABLES).problems());
    }

    private static EdgeFunction words(String task) {
        FunctionPlanner.Plan plan = PLANNER.plan(null, task, TABLES);
        assertEquals(1, plan.functions().size(), plan.toString());
        return plan.functions().get(0);
    }
}
