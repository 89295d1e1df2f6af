package dev.backendteam.ops.functions;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.StepOutcome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;

import static dev.backendteam.ops.functions.EdgeFunctionsEngineTest.ENGINE;
import static dev.backendteam.ops.functions.EdgeFunctionsEngineTest.edit;
import static dev.backendteam.ops.functions.EdgeFunctionsEngineTest.evidence;
import static dev.backendteam.ops.functions.EdgeFunctionsEngineTest.task;
import static dev.backendteam.ops.functions.EdgeFunctionsEngineTest.validate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The smoke run on a delivered scheduled job whose code is then broken (or made to probe its sandbox) the ways a
 * wrong function could be: a crash or a hang once served fails it; a secret check that takes a prefix or any value of
 * the right length fails it; an answer other than the one its kind must give fails it; and the served code can read
 * neither the service's environment nor a loopback port besides its own.
 */
class FunctionSmokeTest {
    static final String INDEX = "supabase/functions/daily-digest/index.ts";
    static final String CHECKED = "verifySecretHeader(req.headers.get(\"x-cron-secret\"), requireEnv(\"CRON_SECRET\"));";
    static final String SMOKE = "smoke: daily-digest";
    static List<Artifact> digest;

    @BeforeAll
    static void deliver() {
        StepOutcome out = ENGINE.work(task("Every day at 8am email the team a digest of the new tasks via Resend.",
                null));
        assertEquals(ResultStatus.SUCCEEDED, out.status(), out.reason() + " " + out.evidence());
        digest = out.artifacts();
    }

    private static Evidence smokeAfter(String file, String from, String to) {
        return evidence(ENGINE.validate(validate(edit(digest, file, from, to))), SMOKE);
    }

    /** {@code afterTheCheck} runs once the secret is checked (in a block the type checker does not call dead code). */
    private static Evidence smokeWith(String afterTheCheck) {
        return smokeAfter(INDEX, CHECKED, CHECKED + "\n    if (req.headers.has(\"x-cron-secret\")) {\n" + afterTheCheck
                + "\n    }");
    }

    @Test
    void theDigestIsRefusedAWrongSecretOfTheSameLengthAndAPrefixAndReachesItsDatabaseCall() {
        StepOutcome out = ENGINE.validate(validate(digest));
        assertEquals(ResultStatus.SUCCEEDED, out.status(), out.evidence().toString());
        Evidence smoke = evidence(out, SMOKE);
        assertEquals(EvidenceStatus.PASSED, smoke.status(), smoke.details());
        assertTrue(smoke.details().contains("a wrong secret of the same length → 401"), smoke.details());
        assertTrue(smoke.details().contains("a prefix of the secret → 401"), smoke.details());
        assertTrue(smoke.details().contains("(reaches the database call: none runs here) → 500"), smoke.details());
    }

    @Test
    void aFunctionThatCrashesOnceServedFailsTheSmokeInsteadOfNotRunningIt() {
        Evidence smoke = smokeWith("    Deno.exit(3);");
        assertEquals(EvidenceStatus.FAILED, smoke.status(), smoke.details());
        assertTrue(smoke.details().startsWith("with the scheduler secret"), smoke.details());
        assertTrue(smoke.details().contains("no answer"), smoke.details());
    }

    @Test
    void aFunctionThatNeverAnswersFailsTheSmoke() {
        Evidence smoke = smokeWith("    await new Promise(() => {});");
        assertEquals(EvidenceStatus.FAILED, smoke.status(), smoke.details());
        assertTrue(smoke.details().contains("HttpTimeoutException"), smoke.details());
    }

    @Test
    void aSecretCheckThatTakesAPrefixOrAnyValueOfTheRightLengthFails() {
        Evidence prefix = smokeAfter("supabase/functions/_shared/signatures.ts",
                "if (header === null || !timingSafeEqual(header, secret)) {",
                "if (header === null || !secret.startsWith(header)) {");
        assertEquals(EvidenceStatus.FAILED, prefix.status(), prefix.details());
        assertTrue(prefix.details().startsWith("a prefix of the secret: expected 401"), prefix.details());

        Evidence length = smokeAfter("supabase/functions/_shared/signatures.ts",
                "if (header === null || !timingSafeEqual(header, secret)) {",
                "if (header === null || header.length !== secret.length) {");
        assertEquals(EvidenceStatus.FAILED, length.status(), length.details());
        assertTrue(length.details().startsWith("a wrong secret of the same length: expected 401"), length.details());
    }

    @Test
    void withTheSecretOnlyTheAnswerOfItsKindPasses() {
        Evidence teapot = smokeWith("    return new Response(\"teapot\", { status: 418 });");
        assertEquals(EvidenceStatus.FAILED, teapot.status(), teapot.details());
        assertTrue(teapot.details().startsWith("with the scheduler secret (reaches the database call: none runs"
                + " here): expected 500 with database_error, got 418"), teapot.details());
        Evidence skipped = smokeWith("    return Response.json({ ok: true });");
        assertEquals(EvidenceStatus.FAILED, skipped.status(), "a digest that never reads its table: "
                + skipped.details());
    }

    @Test
    void aWebhookThatTakesNoHeaderOrAMacWithoutGithubsPrefixFails() {
        StepOutcome out = ENGINE.work(task("Add a GitHub webhook that records push events in github_event.", null));
        Evidence ok = evidence(out, "smoke: github-webhook");
        assertEquals(EvidenceStatus.PASSED, ok.status(), ok.details());
        assertTrue(ok.details().contains("no signature header → 401; a valid signature of another body → 401; the MAC"
                + " without GitHub's sha256= prefix → 401"), ok.details());
        String signatures = "supabase/functions/_shared/signatures.ts";
        // a verifier that takes the bare hex MAC as well as GitHub's sha256=<hex>
        List<Artifact> lenient = edit(edit(out.artifacts(), signatures,
                "  if (header === null || !header.startsWith(\"sha256=\")) reject(", "  if (header === null) reject("),
                signatures, "  if (!timingSafeEqual(header, expected)) reject(\"signature mismatch\");\n}\n\n/** A generic",
                "  if (!timingSafeEqual(header.replace(/^sha256=/, \"\"), expected.slice(7))) reject(\"mismatch\");\n}\n"
                        + "\n/** A generic");
        Evidence unprefixed = evidence(ENGINE.validate(validate(lenient)), "smoke: github-webhook");
        assertEquals(EvidenceStatus.FAILED, unprefixed.status(), unprefixed.details());
        assertTrue(unprefixed.details().startsWith("the MAC without GitHub's sha256= prefix: expected 401"),
                unprefixed.details());
        Evidence headerless = evidence(ENGINE.validate(validate(edit(out.artifacts(), signatures,
                "  if (header === null || !header.startsWith(\"sha256=\")) reject(",
                "  if (header === null) return;\n  if (!header.startsWith(\"sha256=\")) reject("))), "smoke: github-webhook");
        assertEquals(EvidenceStatus.FAILED, headerless.status(), headerless.details());
        assertTrue(headerless.details().startsWith("no signature header: expected 401"), headerless.details());
    }

    @Test
    void theServedCodeSeesNoneOfTheServicesEnvironment() {
        // the whole environment, and a variable the code names only at run time (so it is not granted)
        Evidence smoke = smokeWith("""
                    for (const read of [() => Deno.env.toObject(), () => Deno.env.get(["PA", "TH"].join(""))]) {
                      try {
                        return new Response("read: " + JSON.stringify(read()), { status: 418 });
                      } catch (e) {
                        if (!(e instanceof Deno.errors.NotCapable)) throw e;
                      }
                    }
                """);
        assertEquals(EvidenceStatus.PASSED, smoke.status(), "the function could read the environment: "
                + smoke.details());
    }

    @Test
    void theServedCodeReachesNoLoopbackPortButItsOwn() throws IOException {
        try (ServerSocket postgresStandIn = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Evidence smoke = smokeWith("""
                        try {
                          (await Deno.connect({ hostname: "127.0.0.1", port: %d })).close();
                          return new Response("connected", { status: 418 });
                        } catch (e) {
                          if (!(e instanceof Deno.errors.NotCapable)) throw e;
                        }
                    """.formatted(postgresStandIn.getLocalPort()));
            assertEquals(EvidenceStatus.PASSED, smoke.status(), "the function reached another loopback port: "
                    + smoke.details());
        }
    }
}
