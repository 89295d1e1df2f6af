package dev.backendteam.security.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.sandbox.PostgresServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** deploy/examples/security-review.json, the example a newcomer runs: reviewed, fixed and proven. */
@ExtendWith(PostgresServers.class)
class ExamplesTest {

    @Test
    void theSecurityReviewExampleIsFixedAndProven(PostgresServers.Servers servers) throws Exception {
        JsonNode job = SecuritySandbox.yaml(Files.readString(Path.of("../deploy/examples/security-review.json")));
        SecurityEngine engine = new SecurityEngine(Optional.of(SecuritySandbox.on(servers.pg17())),
                new CatalogueLints());
        StepOutcome out = engine.work(SecuritySandbox.task(TaskKind.WORK,
                SecuritySandbox.sqlOnly(job.get("sql").asText(), null), List.of()));
        for (Evidence e : out.evidence()) {
            assertTrue(e.status() != EvidenceStatus.FAILED, e.check() + ": " + e.details());
        }
        assertEquals(ResultStatus.SUCCEEDED, out.status(), out.reason());
        // note_shares follows its note: the note's owner is the one actor who may add a share, so every policy matters
        assertEquals(java.util.Set.of("owner", "other-user", "anon", "service_role"), java.util.Set.copyOf(
                dev.backendteam.contract.evidence.EvidenceKind.read(NewFeatureMatrixTest.evidence(out, AccessProof.MATRIX)
                        .data(), dev.backendteam.contract.evidence.RlsMatrix.class).orElseThrow().cases().stream()
                        .filter(c -> c.table().equals("public.note_shares")).map(c -> c.actor()).toList()));
        List<String> rules = out.findings().stream().map(f -> f.ruleId()).toList();
        for (String rule : List.of("security.policy-without-role", "security.always-true-policy",
                "security.policy-per-row-auth-call", "security.update-policy-without-with-check")) {
            assertTrue(rules.contains(rule), rule + " in " + rules);
        }
    }
}
