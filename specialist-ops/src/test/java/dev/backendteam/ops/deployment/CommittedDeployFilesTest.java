package dev.backendteam.ops.deployment;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.FileInput;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Severity;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.ops.deployment.check.FileChecks;
import dev.backendteam.ops.deployment.check.TypeScriptCheck;
import dev.backendteam.ops.deployment.docker.DockerfileLinter;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deployment files committed at the repository root (README "Deploy") are what this engine delivers for this
 * repository, and each passes its check as committed: every Dockerfile the ops lint rules, .railway/railway.ts tsc
 * against the pinned railway types, where a copy with a wrong field fails and the failure names it. deploy/e2e OpsIT
 * compares them with the delivery of a deployment job through the running stack.
 */
class CommittedDeployFilesTest {
    private static final Path REPO = DeployFixtures.REPO;
    static final String REGENERATE = "regenerate them with deploy/regenerate-deploy-files.sh (README \"Deploy\")";
    /** The workflow is delivered and checked but not committed: README "Deploy" says why. */
    static final String NOT_COMMITTED = ".github/workflows/deploy.yml";
    private static final Pattern TSC_LINE = Pattern.compile("\\.railway/railway\\.ts\\((\\d+),\\d+\\): error");

    /** Every committed file of the deployment role's output: Dockerfiles, .dockerignore, .railway/, DEPLOY.md. */
    static Map<String, String> committed() {
        Map<String, String> out = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(REPO, 2)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                String rel = REPO.relativize(p).toString().replace('\\', '/');
                if (FileChecks.isDockerfile(rel) || rel.equals(".dockerignore") || rel.equals("DEPLOY.md")
                        || rel.startsWith(".railway/") && !rel.contains("node_modules")) {
                    out.put(rel, Files.readString(p));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    @Test
    void everyCommittedDockerfilePassesTheLintRulesAndBreakingOneFailsThem() {
        DockerfileLinter linter = DockerfileLinter.standard();
        Map<String, String> dockerfiles = new LinkedHashMap<>();
        committed().forEach((path, content) -> {
            if (FileChecks.isDockerfile(path)) {
                dockerfiles.put(path, content);
            }
        });
        // a JVM and a native Dockerfile per service: five services
        assertEquals(10, dockerfiles.size(), "committed Dockerfiles: " + dockerfiles.keySet() + "; " + REGENERATE);
        dockerfiles.forEach((path, content) -> {
            List<Finding> blocking = linter.lint(path, content).stream()
                    .filter(f -> f.severity() != Severity.INFO).toList();
            assertEquals(List.of(), blocking, path + " breaks the lint rules");
            // the rules read the committed file: without its USER line it runs as root, and the lint says so
            String asRoot = content.replace("USER 10001\n", "");
            assertNotEquals(content, asRoot, path);
            assertTrue(linter.lint(path, asRoot).stream().anyMatch(f -> f.ruleId().equals("docker.root-user")),
                    path + " without USER");
        });
    }

    @Test
    void theCommittedRailwayTsTypeChecksAgainstThePinnedTypesAndAWrongFieldFailsNamingIt() {
        assertEquals(List.of(), DeployFixtures.TOOLCHAIN.missing(), "tsc and the railway types are missing: the"
                + " module's build installs them (specialist-ops/toolchain/install.sh, phase generate-resources)");
        Map<String, String> files = committed();
        String ts = files.get(FileChecks.RAILWAY_TS);
        String pkg = files.get(FileChecks.RAILWAY_PACKAGE);
        assertTrue(ts != null && pkg != null, ".railway/railway.ts and package.json are committed; " + REGENERATE);
        TypeScriptCheck tsc = new TypeScriptCheck(DeployFixtures.TOOLCHAIN);
        Evidence committed = tsc.check(ts, pkg);
        assertEquals(EvidenceStatus.PASSED, committed.status(), committed.details());

        String replica = ts.replaceFirst("replicas: replicas\\[", "replica: replicas[");
        assertNotEquals(ts, replica);
        Evidence unknownField = tsc.check(replica, pkg);
        assertEquals(EvidenceStatus.FAILED, unknownField.status(), unknownField.details());
        assertTrue(unknownField.details().contains("'replica'"), unknownField.details());

        String healthcheck = ts.replaceFirst("healthcheck: \"/q/health/ready\"", "healthcheck: 5");
        assertNotEquals(ts, healthcheck);
        Evidence wrongType = tsc.check(healthcheck, pkg);
        assertEquals(EvidenceStatus.FAILED, wrongType.status(), wrongType.details());
        // tsc names the field by its place: the line it reports is the healthcheck line
        Matcher at = TSC_LINE.matcher(wrongType.details());
        assertTrue(at.find(), wrongType.details());
        String line = healthcheck.lines().toList().get(Integer.parseInt(at.group(1)) - 1);
        assertTrue(line.contains("healthcheck: 5"), line + " — " + wrongType.details());
    }

    @Test
    void theEngineDeliversTheCommittedFilesWhetherOrNotTheyAreAmongItsInputs() {
        Map<String, String> committed = committed();
        DeploymentEngine engine = new DeploymentEngine(DeployFixtures.TOOLCHAIN);
        StepOutcome fresh = engine.work(DeployFixtures.task(TaskKind.WORK, DeployFixtures.ownBuildFiles(), List.of()));
        List<FileInput> withOutput = new ArrayList<>(DeployFixtures.ownBuildFiles());
        // as run --files sends them once they are committed (ProjectFiles takes Dockerfiles, .dockerignore, railway.ts)
        committed.forEach((path, content) -> withOutput.add(new FileInput(path, content)));
        StepOutcome again = engine.work(DeployFixtures.task(TaskKind.WORK, withOutput, List.of()));

        Map<String, String> delivered = files(fresh);
        assertEquals(delivered, files(again), "the engine's previous output among its inputs changes nothing");
        for (String path : committed.keySet()) {
            assertTrue(delivered.containsKey(path), path + " is committed but no longer delivered; " + REGENERATE);
        }
        delivered.forEach((path, content) -> {
            if (!path.equals(NOT_COMMITTED)) {
                assertEquals(content, committed.get(path), path + " differs from what the engine delivers; "
                        + REGENERATE);
            }
        });
    }

    private static Map<String, String> files(StepOutcome outcome) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Artifact a : outcome.artifacts()) {
            out.put(a.name(), a.content());
        }
        return out;
    }
}
