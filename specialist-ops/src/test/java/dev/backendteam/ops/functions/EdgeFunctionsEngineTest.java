package dev.backendteam.ops.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.ArtifactKind;
import dev.backendteam.contract.Contract;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.ops.deployment.check.Toolchain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The edge-functions role on realistic tasks, with the real Deno of the module's toolchain: each function type-checks
 * offline against the delivered lock and is served once; breaking what a check guards (a table name, the lock, the
 * signature check) fails it; without Deno the checks are not_run.
 */
class EdgeFunctionsEngineTest {
    static final DenoToolchain DENO = DenoToolchain.at(Toolchain.locate(Optional.empty(), Duration.ofSeconds(60)).dir(),
            Duration.ofSeconds(60));
    static final String TYPES = resource("/functions/database.types.ts");
    static final EdgeFunctionsEngine ENGINE = new EdgeFunctionsEngine(DENO);

    @Test
    void theToolchainTheBuildInstalledHasDenoAndTheFunctionsModules() {
        assertEquals(Optional.empty(), DENO.missing(), "toolchain/install.sh: npm ci, then deno install --frozen");
    }

    @Test
    void aStripeWebhookWritingPaymentsVerifiesTheSignatureAndUpsertsOnTheEventId() {
        StepOutcome out = ENGINE.work(task("Record Stripe payments.", """
                entities:
                  - name: payment
                    serviceOnly: true
                    fields:
                      stripe_event_id: { type: text, nullable: false, unique: true }
                      amount: integer!
                      currency: text!
                      status: text
                      payload: jsonb
                functions:
                  - name: stripe-webhook
                    kind: webhook
                    provider: stripe
                    writes: [payment]
                    purpose: records Stripe payment events
                """));
        assertEquals(ResultStatus.SUCCEEDED, out.status(), out.reason() + " " + out.evidence());
        assertPassed(out, "deno check: supabase/functions/stripe-webhook/index.ts");
        Evidence smoke = assertPassed(out, "smoke: stripe-webhook");
        assertTrue(smoke.details().contains("bad signature → 401"), smoke.details());
        assertTrue(smoke.details().contains("body of the wrong shape → 400"), smoke.details());
        assertTrue(smoke.details().contains("an hour old (a replay) → 401"), smoke.details());
        assertTrue(smoke.details().contains("a real event (reaches the database call: none runs here) → 500"),
                smoke.details());
        String index = file(out, "supabase/functions/stripe-webhook/index.ts");
        assertTrue(index.contains("new Uint8Array(await req.arrayBuffer())"), "the raw body is read before parsing");
        assertTrue(index.contains(".upsert(row_payment, { onConflict: \"stripe_event_id\", ignoreDuplicates: true })"),
                index);
        assertTrue(index.contains("amount: required_amount"), "a NOT NULL amount skips events without one:\n" + index);
        assertTrue(index.contains("from \"../_shared/supabase.ts\""), index);
        assertFalse(file(out, "supabase/functions/_shared/supabase.ts").contains("userClient"),
                "no user client where no function needs one");
        assertTrue(file(out, "supabase/config.toml").contains("[functions.stripe-webhook]\nverify_jwt = false"));
        assertEquals(file(out, "supabase/functions/_shared/database.types.ts"), TYPES);
        assertTrue(file(out, "supabase/functions/.env.example").contains("STRIPE_WEBHOOK_SECRET=\n"));
        assertTrue(out.findings().stream().anyMatch(f -> f.ruleId().equals("functions.secrets")
                && f.fix().contains("supabase secrets set STRIPE_WEBHOOK_SECRET=…")), out.findings().toString());
        assertTrue(out.findings().stream().noneMatch(f -> f.ruleId().equals("functions.webhook-not-idempotent")));
    }

    @Test
    void aDatabaseErrorIsLoggedAndTheCallerGetsOnlyItsCode() {
        StepOutcome out = ENGINE.work(task("List my tasks.", """
                entities: [{ name: task, owner: true, fields: { title: text! } }]
                functions:
                  - { name: stripe-webhook, kind: webhook, provider: stripe, writes: [payment] }
                  - { name: due-digest, kind: scheduled, schedule: "0 7 * * *", reads: [task] }
                  - { name: my-tasks, kind: http, reads: [task] }
                """));
        assertEquals(ResultStatus.SUCCEEDED, out.status(), out.reason() + " " + out.evidence());
        for (String name : List.of("stripe-webhook", "due-digest", "my-tasks")) {
            String index = file(out, "supabase/functions/" + name + "/index.ts");
            assertTrue(index.contains("console.error(\""), name + " logs the database's message:\n" + index);
            assertTrue(index.contains("throw new HttpError(500, \"database_error\", \"the database call failed\")"),
                    index);
            assertFalse(index.contains("\"database_error\", error.message"), name + " sends it to the caller:\n"
                    + index);
        }
        Evidence smoke = assertPassed(out, "smoke: stripe-webhook");
        assertFalse(smoke.details().contains("fetch failed"), smoke.details());
    }

    /** deploy/examples/new-feature.yaml's functions section, on the tables db-architect makes of its entities. */
    @Test
    void theNewFeatureExamplesFunctionsPassDenoCheckAndTheSmokeRun() {
        StepOutcome out = ENGINE.work(task("Multi-tenant task tracker with an audit trail a GitHub webhook fills and"
                + " a morning digest of the tasks due.", """
                entities:
                  - name: task
                    owner: true
                    fields: { title: text!, due_at: timestamptz }
                  - name: audit_event
                    serviceOnly: true
                    fields: { action: text!, payload: jsonb }
                functions:
                  - name: github-events
                    kind: webhook
                    provider: github
                    writes: [audit_event]
                    purpose: Record each GitHub repository event in the audit trail.
                  - name: due-digest
                    kind: scheduled
                    schedule: "0 7 * * *"
                    email: resend
                    reads: [task]
                    purpose: Email each morning the tasks due that day.
                """));
        assertEquals(ResultStatus.SUCCEEDED, out.status(), out.reason() + " " + out.evidence());
        assertPassed(out, "deno check: supabase/functions/github-events/index.ts");
        assertPassed(out, "deno check: supabase/functions/due-digest/index.ts");
        Evidence webhook = assertPassed(out, "smoke: github-events");
        assertTrue(webhook.details().contains("a real event (reaches the database call: none runs here) → 500"),
                "action is NOT NULL: the probe event carries one, so the insert is reached: " + webhook.details());
        assertTrue(file(out, "supabase/functions/github-events/index.ts").contains("action: required_action"));
        Evidence digest = assertPassed(out, "smoke: due-digest");
        assertTrue(digest.details().contains("(reaches the database call: none runs here) → 500"), digest.details());
    }

    @Test
    void aDailyDigestByResendIsReadFromTheWordsAndScheduledByPgCron() {
        StepOutcome out = ENGINE.work(task("Every day at 8am email the team a digest of the new tasks via Resend.",
                null));
        assertEquals(ResultStatus.SUCCEEDED, out.status(), out.reason() + " " + out.evidence());
        assertPassed(out, "deno check: supabase/functions/daily-digest/index.ts");
        Evidence smoke = assertPassed(out, "smoke: daily-digest");
        assertTrue(smoke.details().contains("no scheduler secret → 401"), smoke.details());
        String index = file(out, "supabase/functions/daily-digest/index.ts");
        assertTrue(index.contains("serviceClient().from(\"task\")"), index);
        assertTrue(index.contains("await sendEmail("), index);
        assertTrue(file(out, "supabase/functions/_shared/email.ts").contains("https://api.resend.com/emails"));
        String readme = file(out, "supabase/functions/README.md");
        assertTrue(readme.contains("select cron.schedule(\n  'daily-digest',\n  '0 8 * * *',"), readme);
        assertTrue(readme.contains("RESEND_API_KEY=…"), readme);
        assertTrue(out.findings().stream().anyMatch(f -> f.ruleId().equals("functions.assumed")
                && f.message().contains("0 8 * * *")), out.findings().toString());
    }

    @Test
    void aGithubWebhookFromTheWordsRecordsDeliveriesAndWarnsItIsNotIdempotent() {
        StepOutcome out = ENGINE.work(task("Add a GitHub webhook that records push events in github_event.", null));
        assertEquals(ResultStatus.SUCCEEDED, out.status(), out.reason() + " " + out.evidence());
        assertPassed(out, "deno check: supabase/functions/github-webhook/index.ts");
        assertPassed(out, "smoke: github-webhook");
        String index = file(out, "supabase/functions/github-webhook/index.ts");
        assertTrue(index.contains("verifyGithub(raw, req.headers.get(\"X-Hub-Signature-256\")"), index);
        assertTrue(index.contains("required_delivery_id"), "delivery_id is NOT NULL and the header may be absent");
        assertTrue(out.findings().stream().anyMatch(f -> f.ruleId().equals("functions.webhook-not-idempotent")),
                "no unique delivery id in the spec: redeliveries would duplicate");
    }

    @Test
    void anHttpFunctionActsAsTheCallerAndAnswersThePreflight() {
        StepOutcome out = ENGINE.work(task("List my tasks.", """
                entities: [{ name: task, owner: true, fields: { title: text! } }]
                functions:
                  - { name: my-tasks, kind: http, reads: [task], writes: [task] }
                """));
        assertEquals(ResultStatus.SUCCEEDED, out.status(), out.reason() + " " + out.evidence());
        Evidence smoke = assertPassed(out, "smoke: my-tasks");
        assertTrue(smoke.details().contains("CORS preflight → 204"), smoke.details());
        String cors = file(out, "supabase/functions/_shared/cors.ts");
        assertFalse(cors.contains("\"*\""), "no origin is allowed by default:\n" + cors);
        assertTrue(cors.contains("if (origin) headers[\"Access-Control-Allow-Origin\"] = origin;"), cors);
        assertTrue(file(out, "supabase/functions/.env.example").contains("ALLOWED_ORIGIN=\n"));
        assertTrue(file(out, "supabase/functions/my-tasks/index.ts").contains("const supabase = userClient(req);"));
        assertTrue(file(out, "supabase/config.toml").contains("[functions.my-tasks]\nverify_jwt = true"));
        assertTrue(out.findings().stream().anyMatch(f -> f.ruleId().equals("functions.not-generated")
                && f.message().contains("writes [task]")), "what is not generated is said: " + out.findings());
    }

    @Test
    void nothingNeededIsSaidAndNothingIsDelivered() {
        StepOutcome out = ENGINE.work(task("Comments on posts; only the author may edit.", null));
        assertEquals(ResultStatus.SUCCEEDED, out.status());
        assertEquals(List.of(), out.artifacts());
        assertEquals(List.of(), out.evidence());
        assertTrue(out.findings().stream().anyMatch(f -> f.ruleId().equals("functions.none-needed")));
    }

    @Test
    void aRequiredColumnNoEventFillsIsAskedForAndMakingItNullableClearsIt(@TempDir Path noDeno) {
        String spec = """
                entities: [{ name: invoice, fields: { stripe_event_id: text!, customer_ref: text! } }]
                functions: [{ name: stripe-invoices, kind: webhook, provider: stripe, writes: [invoice] }]
                """;
        StepOutcome asked = ENGINE.work(task("Invoices from Stripe.", spec));
        assertEquals(ResultStatus.NEEDS_INPUT, asked.status());
        assertTrue(asked.question().contains("invoice.customer_ref"), asked.question());
        assertEquals(List.of(), asked.artifacts(), "no function with a guessed column");

        String fixed = TYPES.replace("          customer_ref: string\n        }\n        Insert",
                "          customer_ref: string | null\n        }\n        Insert")
                .replace("          customer_ref: string\n", "          customer_ref?: string | null\n");
        StepOutcome delivered = new EdgeFunctionsEngine(DenoToolchain.at(noDeno, Duration.ofSeconds(5)))
                .work(task("Invoices from Stripe.", spec, fixed));
        assertEquals(ResultStatus.SUCCEEDED, delivered.status(), String.valueOf(delivered.question()));
    }

    @Test
    void withoutDenoTheChecksAreNotRunWithTheReason(@TempDir Path noDeno) {
        StepOutcome out = new EdgeFunctionsEngine(DenoToolchain.at(noDeno, Duration.ofSeconds(5)))
                .work(task("Add a Stripe webhook.", null));
        assertEquals(ResultStatus.SUCCEEDED, out.status());
        assertEquals(List.of(EvidenceStatus.NOT_RUN, EvidenceStatus.NOT_RUN),
                out.evidence().stream().map(Evidence::status).toList());
        assertTrue(out.evidence().get(0).details().contains("Deno is not installed"), out.evidence().toString());
        assertTrue(out.evidence().stream().noneMatch(Evidence::passed));
        assertTrue(out.findings().stream().anyMatch(f -> f.ruleId().equals("functions.not-checked")
                && f.message().contains("Deno is not installed")), "the step says nothing was checked: "
                + out.findings());
        assertTrue(ENGINE.work(task("Add a Stripe webhook.", null)).findings().stream()
                .noneMatch(f -> f.ruleId().equals("functions.not-checked")), "not when the checks ran");
    }

    @Test
    void theValidationRoundFailsAWrongTableAnUnlockedDependencyAndASignatureCheckThatAcceptsAnything() {
        StepOutcome out = ENGINE.work(task("Add a Stripe webhook that writes each payment event to payment.", null));
        assertEquals(ResultStatus.SUCCEEDED, out.status(), out.reason() + " " + out.evidence());
        assertEquals(ResultStatus.SUCCEEDED, ENGINE.validate(validate(out.artifacts())).status());

        // a table the types do not have: the typed client makes it a type error
        StepOutcome wrongTable = ENGINE.validate(validate(edit(out.artifacts(),
                "supabase/functions/stripe-webhook/index.ts", ".from(\"payment\")", ".from(\"payments\")")));
        assertEquals(ResultStatus.FAILED, wrongTable.status());
        Evidence check = evidence(wrongTable, "deno check: supabase/functions/stripe-webhook/index.ts");
        assertEquals(EvidenceStatus.FAILED, check.status());
        assertTrue(check.details().contains("payments"), check.details());
        assertEquals(EvidenceStatus.NOT_RUN, evidence(wrongTable, "smoke: stripe-webhook").status());

        // a dependency the lock does not hold: --frozen refuses it (and --cached-only fetches nothing)
        StepOutcome unlocked = ENGINE.validate(validate(edit(out.artifacts(), "supabase/functions/deno.json",
                "npm:zod@4.6.7", "npm:zod@4.6.6")));
        assertEquals(EvidenceStatus.FAILED,
                evidence(unlocked, "deno check: supabase/functions/stripe-webhook/index.ts").status());

        // a signature check that lets a bad signature through: the type check passes, the smoke test does not
        StepOutcome open = ENGINE.validate(validate(edit(out.artifacts(), "supabase/functions/_shared/signatures.ts",
                "if (!signatures.some((s) => timingSafeEqual(s, expected))) reject(\"signature mismatch\");", "")));
        assertEquals(EvidenceStatus.PASSED,
                evidence(open, "deno check: supabase/functions/stripe-webhook/index.ts").status());
        Evidence smoke = evidence(open, "smoke: stripe-webhook");
        assertEquals(EvidenceStatus.FAILED, smoke.status());
        assertTrue(smoke.details().startsWith("bad signature: expected 401"), smoke.details());

        // no replay window: an hour-old signed event is taken
        StepOutcome replay = ENGINE.validate(validate(edit(out.artifacts(), "supabase/functions/_shared/signatures.ts",
                "toleranceSeconds = 300,", "toleranceSeconds = Number.MAX_SAFE_INTEGER,")));
        Evidence replayed = evidence(replay, "smoke: stripe-webhook");
        assertEquals(EvidenceStatus.FAILED, replayed.status());
        assertTrue(replayed.details().startsWith("good signature an hour old (a replay): expected 401"),
                replayed.details());
    }

    // --- fixtures ---

    static TaskEvent task(String words, String specYaml) {
        return task(words, specYaml, TYPES);
    }

    static TaskEvent task(String words, String specYaml, String types) {
        JsonNode spec = null;
        if (specYaml != null) {
            try {
                spec = new YAMLMapper().readTree(specYaml);
            } catch (IOException e) {
                throw new IllegalArgumentException(e);
            }
        }
        JobInputs inputs = new JobInputs(spec, null, null, null, null, null, null, null);
        List<Artifact> artifacts = List.of(new Artifact(ArtifactKind.TYPES, "database.types.ts", types, null,
                Specialist.DB_ARCHITECT.id()));
        return new TaskEvent(Contract.VERSION, "t-1", "job-1", 5, 1, Specialist.OPS, "edge-functions", TaskKind.WORK,
                words, inputs, artifacts, 0, null);
    }

    static TaskEvent validate(List<Artifact> artifacts) {
        return new TaskEvent(Contract.VERSION, "t-2", "job-1", 6, 1, Specialist.OPS, "edge-functions",
                TaskKind.VALIDATE, "validate", null, artifacts, 0, null);
    }

    static List<Artifact> edit(List<Artifact> artifacts, String name, String from, String to) {
        List<Artifact> out = new ArrayList<>();
        for (Artifact a : artifacts) {
            if (a.name().equals(name)) {
                assertTrue(a.content().contains(from), name + " lacks " + from);
                out.add(new Artifact(a.kind(), a.name(), a.content().replace(from, to), a.down(), a.producedBy()));
            } else {
                out.add(a);
            }
        }
        return out;
    }

    static Evidence assertPassed(StepOutcome out, String check) {
        Evidence e = evidence(out, check);
        assertEquals(EvidenceStatus.PASSED, e.status(), check + ": " + e.details());
        return e;
    }

    static Evidence evidence(StepOutcome out, String check) {
        return out.evidence().stream().filter(e -> e.check().equals(check)).findFirst()
                .orElseThrow(() -> new AssertionError("no evidence " + check + " in " + out.evidence()));
    }

    static String file(StepOutcome out, String name) {
        Map<String, String> files = out.artifacts().stream().collect(Collectors.toMap(Artifact::name,
                Artifact::content));
        assertTrue(files.containsKey(name), name + " not among " + files.keySet());
        return files.get(name);
    }

    static String resource(String name) {
        try (InputStream in = EdgeFunctionsEngineTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
