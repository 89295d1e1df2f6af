package dev.backendteam.ops.deployment;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** This project is the deployment role's first user: its own build files in, validated deployment files out. */
class DeployOwnRepositoryTest {
    private static final List<String> SERVICES = List.of("orchestrator", "specialist-db-architect",
            "specialist-security", "specialist-query-optimizer", "specialist-ops");

    @Test
    void aDockerfilePerServiceARailwayTsWithTheirWiringAndEveryCheckPassed() {
        StepOutcome outcome = new DeploymentEngine(DeployFixtures.TOOLCHAIN)
                .work(DeployFixtures.task(TaskKind.WORK, DeployFixtures.ownBuildFiles(), List.of()));
        outcome.evidence().forEach(e -> System.out.println(e.status().wire() + " " + e.durationMs() + " ms  "
                + e.check() + " — " + e.details().lines().findFirst().orElse("")));
        assertEquals(ResultStatus.SUCCEEDED, outcome.status(), outcome.reason());
        List<String> names = outcome.artifacts().stream().map(Artifact::name).toList();
        for (String s : SERVICES) {
            assertTrue(names.contains(s + "/Dockerfile"), s + " has a Dockerfile: " + names);
        }
        assertEquals(SERVICES.size(), names.stream().filter(n -> n.endsWith("Dockerfile")).count(),
                "libraries and deploy/* get none: " + names);

        String ts = DeployFixtures.content(outcome.artifacts(), ".railway/railway.ts");
        for (String s : SERVICES) {
            assertTrue(ts.contains("service(\"" + s + "\""), s + " in railway.ts");
            assertTrue(ts.contains("dockerfilePath: \"" + s + "/Dockerfile\""), ts);
        }
        assertTrue(ts.contains("postgresDatabase(\"postgres\")"), ts);
        assertTrue(ts.contains("service(\"kafka\""), ts);
        // wiring: every service reaches Kafka by reference; the orchestrator its job store by reference
        assertEquals(SERVICES.size(), ts.split("KAFKA_BOOTSTRAP_SERVERS: kafka.env.BOOTSTRAP_SERVERS", -1).length - 1, ts);
        String orchestrator = block(ts, "orchestrator");
        assertTrue(orchestrator.contains("QUARKUS_DATASOURCE_USERNAME: postgres.env.PGUSER"), orchestrator);
        assertTrue(orchestrator.contains("QUARKUS_DATASOURCE_PASSWORD: postgres.env.PGPASSWORD"), orchestrator);
        assertTrue(orchestrator.contains("${{postgres.PGHOST}}"), orchestrator);
        assertTrue(ts.contains("// orchestrator: public"), ts);
        for (String s : SERVICES.subList(1, SERVICES.size())) {
            assertTrue(ts.contains("// " + s + ": private"), s + " is private");
        }
        assertTrue(ts.contains("healthcheck: \"/q/health/ready\""), ts);
        // production: the sandboxes get a PostgreSQL of their own, wired to the three specialists that prove in one
        assertTrue(ts.contains("const backendTeamSandbox = postgresDatabase(\"backend-team-sandbox\");"), ts);
        for (String s : SERVICES) {
            boolean proves = !s.equals("orchestrator") && !s.equals("specialist-ops");
            assertEquals(proves, block(ts, s).contains("BACKEND_TEAM_SANDBOX_ADMIN_URL: \"jdbc:postgresql://"
                    + "${{backend-team-sandbox.PGHOST}}:${{backend-team-sandbox.PGPORT}}/"
                    + "${{backend-team-sandbox.PGDATABASE}}\""), s + ": " + block(ts, s));
            assertEquals(proves, block(ts, s).contains("BACKEND_TEAM_SANDBOX_ADMIN_PASSWORD: backendTeamSandbox.env"
                    + ".PGPASSWORD"), s);
            assertTrue(block(ts, s).contains("replicas: replicas[\"" + s + "\"]"), s);
        }
        assertFalse(orchestrator.contains("backendTeamSandbox"), "the job store is not the sandbox server");
        assertTrue(orchestrator.contains("BACKEND_TEAM_TOPICS_PARTITIONS: String(partitions)"), orchestrator);
        assertTrue(orchestrator.contains("BACKEND_TEAM_API_KEYS: preserve()"), orchestrator);

        // the images of the two services with a locked toolchain carry it; the others have none
        for (String s : SERVICES) {
            String variable = switch (s) {
                case "specialist-ops" -> "BACKEND_TEAM_OPS_TOOLCHAIN=/deployments/specialist-ops/toolchain";
                case "specialist-db-architect" ->
                        "BACKEND_TEAM_DB_ARCHITECT_TOOLCHAIN=/deployments/specialist-db-architect/toolchain";
                default -> null;
            };
            String jvm = DeployFixtures.content(outcome.artifacts(), s + "/Dockerfile");
            assertEquals(variable != null, jvm.contains(" AS " + s + "-toolchain\n"), s + ": " + jvm);
            if (variable != null) {
                assertTrue(jvm.contains(variable), jvm);
                assertTrue(jvm.contains(s.equals("specialist-ops") ? "-Dops.toolchain.skip=true"
                        : "-Ddbarchitect.toolchain.skip=true"), jvm);
            }
            String nativeFile = DeployFixtures.content(outcome.artifacts(), s + "/Dockerfile.native");
            assertTrue(nativeFile.contains("-Dnative") && nativeFile.contains("QUARKUS_HTTP_HOST=::"), nativeFile);
        }

        String dockerfile = DeployFixtures.content(outcome.artifacts(), "specialist-security/Dockerfile");
        assertTrue(dockerfile.contains("COPY libs/sandbox/pom.xml libs/sandbox/"), "every pom first: " + dockerfile);
        assertTrue(dockerfile.contains("COPY deploy/e2e/pom.xml deploy/e2e/"), "the whole reactor's poms");
        assertTrue(dockerfile.contains("COPY libs/specialist-runtime/src libs/specialist-runtime/src"), dockerfile);
        assertFalse(dockerfile.contains("COPY orchestrator/src"), "only the modules it is built with");
        assertTrue(dockerfile.contains("-pl specialist-security -am"), dockerfile);

        // every check ran and passed: Dockerfile lint per service, schemas, lock file, tsc, actionlint
        List<Evidence> evidence = outcome.evidence();
        assertTrue(evidence.stream().allMatch(e -> e.status() == EvidenceStatus.PASSED), evidence.toString());
        // the JVM and the native image's Dockerfile of each service
        assertEquals(2 * SERVICES.size(), evidence.stream().filter(e -> e.check().startsWith("dockerfile lint")).count());
        assertTrue(evidence.stream().anyMatch(e -> e.check().equals("schema: .github/workflows/deploy.yml")));
        assertTrue(evidence.stream().anyMatch(e -> e.check().equals("schema: .railway/package.json")));
        assertTrue(evidence.stream().anyMatch(e -> e.check().startsWith("tsc:")));
        assertTrue(evidence.stream().anyMatch(e -> e.check().startsWith("actionlint:")));
        assertTrue(evidence.stream().anyMatch(e -> e.check().startsWith("lock file:")));

        // the validation round replays the bundle and passes again
        StepOutcome validated = new DeploymentEngine(DeployFixtures.TOOLCHAIN)
                .validate(DeployFixtures.task(TaskKind.VALIDATE, List.of(), outcome.artifacts()));
        assertEquals(ResultStatus.SUCCEEDED, validated.status(), validated.reason());
        assertEquals(evidence.stream().map(Evidence::check).toList(),
                validated.evidence().stream().map(Evidence::check).toList());
        assertTrue(validated.evidence().stream().allMatch(Evidence::passed), validated.evidence().toString());
    }

    static String block(String ts, String service) {
        int start = ts.indexOf("service(\"" + service + "\"");
        return ts.substring(start, ts.indexOf("});", start));
    }
}
