package dev.backendteam.ops.deployment;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.ops.deployment.check.FileChecks;
import dev.backendteam.ops.deployment.check.SchemaCheck;
import dev.backendteam.ops.deployment.check.Toolchain;
import dev.backendteam.ops.deployment.check.TypeScriptCheck;
import dev.backendteam.ops.deployment.check.WorkflowLint;
import dev.backendteam.ops.deployment.docker.DockerfileLinter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each check can fail: breaking the file it guards fails it, and a missing toolchain is not_run, never passed. */
class DeployChecksCanFailTest {
    private static final StepOutcome OWN = new DeploymentEngine(DeployFixtures.TOOLCHAIN)
            .work(DeployFixtures.task(TaskKind.WORK, DeployFixtures.ownBuildFiles(), List.of()));

    private static String own(String name) {
        return DeployFixtures.content(OWN.artifacts(), name);
    }

    @Test
    void theToolchainTheBuildInstalledIsComplete() {
        assertEquals(List.of(), DeployFixtures.TOOLCHAIN.missing(), "the module's build runs npm ci in toolchain/");
    }

    @Test
    void aWrongPropertyTypeInRailwayTsFailsTsc() {
        TypeScriptCheck tsc = new TypeScriptCheck(DeployFixtures.TOOLCHAIN);
        String good = own(FileChecks.RAILWAY_TS);
        String pkg = own(FileChecks.RAILWAY_PACKAGE);
        assertEquals(EvidenceStatus.PASSED, tsc.check(good, pkg).status());
        Evidence wrongType = tsc.check(good.replaceFirst("\"orchestrator\": 1,", "\"orchestrator\": \"one\","), pkg);
        assertEquals(EvidenceStatus.FAILED, wrongType.status(), wrongType.details());
        assertTrue(wrongType.details().contains("TS2322"), wrongType.details());
        Evidence unknownVariable = tsc.check(good.replace("kafka.env.BOOTSTRAP_SERVERS", "kafka.env.BOOTSTRAP"), pkg);
        assertEquals(EvidenceStatus.FAILED, unknownVariable.status(), "a reference to a variable kafka does not define");
        Evidence misspelt = tsc.check(good.replaceFirst("healthcheck:", "healthchek:"), pkg);
        assertEquals(EvidenceStatus.FAILED, misspelt.status(), misspelt.details());
    }

    @Test
    void aBrokenWorkflowFailsActionlintAndASchemaInvalidOneFailsTheSchema() {
        String good = own(".github/workflows/deploy.yml");
        WorkflowLint lint = new WorkflowLint(DeployFixtures.TOOLCHAIN);
        assertEquals(EvidenceStatus.PASSED, lint.check(".github/workflows/deploy.yml", good).status());
        Evidence needsTypo = lint.check(".github/workflows/deploy.yml", good.replace("needs: test", "needs: tset"));
        assertEquals(EvidenceStatus.FAILED, needsTypo.status());
        assertTrue(needsTypo.details().contains("job-needs"), needsTypo.details());
        Evidence badContext = lint.check(".github/workflows/deploy.yml",
                good.replace("${{ secrets.RAILWAY_TOKEN }}", "${{ secret.RAILWAY_TOKEN }}"));
        assertEquals(EvidenceStatus.FAILED, badContext.status(), badContext.details());

        SchemaCheck schemas = new SchemaCheck();
        assertEquals(EvidenceStatus.PASSED, schemas.check(".github/workflows/deploy.yml", good).status());
        Evidence invalid = schemas.check(".github/workflows/deploy.yml", good.replace("runs-on: ubuntu-latest",
                "runs-on: ubuntu-latest\n    timeout-minutes: soon"));
        assertEquals(EvidenceStatus.FAILED, invalid.status(), invalid.details());
        Evidence noJobs = schemas.check(".github/workflows/deploy.yml", "name: deploy\non: push\n");
        assertEquals(EvidenceStatus.FAILED, noJobs.status(), "jobs is required");
        assertEquals(EvidenceStatus.FAILED, schemas.check(".github/workflows/deploy.yml", "jobs: [").status(),
                "YAML that does not parse fails, it does not crash");
        Evidence badPackage = schemas.check(".railway/package.json", "{\"name\": \"Has Spaces\", \"private\": \"yes\"}");
        assertEquals(EvidenceStatus.FAILED, badPackage.status(), badPackage.details());
    }

    @Test
    void aLockFileThatDoesNotMatchItsPackageJsonFails() {
        Map<String, String> files = Map.of(FileChecks.RAILWAY_PACKAGE,
                own(FileChecks.RAILWAY_PACKAGE).replace("\"3.11.0\"", "\"3.10.0\""),
                FileChecks.RAILWAY_LOCK, own(FileChecks.RAILWAY_LOCK));
        FileChecks checks = new FileChecks(DockerfileLinter.standard(), new SchemaCheck(), DeployFixtures.TOOLCHAIN);
        Evidence lock = checks.run(files).evidence().stream().filter(e -> e.check().startsWith("lock file")).findFirst()
                .orElseThrow();
        assertEquals(EvidenceStatus.FAILED, lock.status(), lock.details());
    }

    @Test
    void withoutItsToolchainTscAndActionlintAreNotRunNamingWhatIsMissing(@TempDir Path empty) {
        Toolchain none = Toolchain.at(empty, Duration.ofSeconds(5));
        Evidence tsc = new TypeScriptCheck(none).check(own(FileChecks.RAILWAY_TS), own(FileChecks.RAILWAY_PACKAGE));
        assertEquals(EvidenceStatus.NOT_RUN, tsc.status());
        assertTrue(tsc.details().contains("TypeScript compiler") && tsc.details().contains("npm ci"), tsc.details());
        Evidence lint = new WorkflowLint(none).check(".github/workflows/deploy.yml", own(".github/workflows/deploy.yml"));
        assertEquals(EvidenceStatus.NOT_RUN, lint.status());
        assertTrue(lint.details().contains("actionlint"), lint.details());
        // the step still delivers, its other checks pass, and nothing missing is reported as passed
        StepOutcome outcome = new DeploymentEngine(none)
                .work(DeployFixtures.task(TaskKind.WORK, DeployFixtures.ownBuildFiles(), List.of()));
        assertEquals(ResultStatus.SUCCEEDED, outcome.status());
        assertEquals(2, outcome.evidence().stream().filter(e -> e.status() == EvidenceStatus.NOT_RUN).count());
    }

    @Test
    void theValidationRoundFailsABundleWhoseFilesWereBrokenAfterDelivery() {
        List<Artifact> bundle = new ArrayList<>();
        for (Artifact a : OWN.artifacts()) {
            String content = a.name().equals("orchestrator/Dockerfile")
                    ? a.content().replace("FROM eclipse-temurin:17.0.15_6-jre-jammy", "FROM eclipse-temurin:latest")
                    : a.content();
            bundle.add(Artifact.file(a.name(), content, Specialist.OPS));
        }
        StepOutcome validated = new DeploymentEngine(DeployFixtures.TOOLCHAIN)
                .validate(DeployFixtures.task(TaskKind.VALIDATE, List.of(), bundle));
        assertEquals(ResultStatus.FAILED, validated.status());
        assertTrue(validated.findings().stream().anyMatch(f -> f.ruleId().equals("docker.base-image-latest")
                && "orchestrator/Dockerfile".equals(f.object())), validated.findings().toString());
        StepOutcome nothing = new DeploymentEngine(DeployFixtures.TOOLCHAIN)
                .validate(DeployFixtures.task(TaskKind.VALIDATE, List.of(), List.of()));
        assertEquals(EvidenceStatus.NOT_RUN, nothing.evidence().get(0).status());
    }
}
