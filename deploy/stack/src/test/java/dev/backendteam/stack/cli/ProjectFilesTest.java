package dev.backendteam.stack.cli;

import dev.backendteam.contract.FileInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProjectFilesTest {

    private static void write(Path root, String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    @Test
    void buildAndConfigurationFilesComeAlongSourcesOutputAndSecretsStayBehind(@TempDir Path project)
            throws IOException {
        write(project, "pom.xml", "<project/>");
        write(project, "api/pom.xml", "<project/>");
        write(project, "api/src/main/resources/application.properties", "quarkus.http.port=${PORT:8080}");
        write(project, "api/src/main/java/App.java", "class App {}");
        write(project, "api/src/main/java/Dockerfile.java", "class Dockerfile {}");
        write(project, "api/src/main/resources/schemas/package.json", "{\"$schema\": \"a resource\"}");
        write(project, "Dockerfile.native", "FROM scratch");
        write(project, "api/src/test/resources/application.properties", "a test's settings");
        write(project, "api/target/quarkus-app/pom.xml", "build output");
        write(project, "web/package.json", "{\"name\":\"web\"}");
        write(project, "web/node_modules/left-pad/package.json", "{}");
        write(project, ".github/workflows/ci.yml", "on: push");
        write(project, ".env", "DATABASE_PASSWORD=hunter2");
        write(project, "web/.env.production", "API_KEY=abc");
        write(project, ".git/config", "[core]");
        Files.write(project.resolve("Dockerfile"), new byte[] {(byte) 0xff, (byte) 0xfe, 0});
        write(project, "huge/package-lock.json", "x".repeat((int) ProjectFiles.MAX_FILE_BYTES + 1));
        write(project, "huge/big.dockerfile", "x".repeat((int) ProjectFiles.MAX_FILE_BYTES + 1));
        for (String folder : List.of(".yarn", ".cache", ".terraform", ".tox", "bower_components", ".pnpm-store",
                "deno-dir/npm/registry.npmjs.org/zod/4.6.7/mini", ".deno")) {
            write(project, "web/" + folder + "/package.json", "{}");
        }

        ProjectFiles.Collected c = ProjectFiles.collect(project);
        assertEquals(List.of(".github/workflows/ci.yml", "Dockerfile.native", "api/pom.xml",
                "api/src/main/resources/application.properties", "huge/package-lock.json", "pom.xml",
                "web/package.json"), c.files().stream().map(FileInput::path).toList());
        assertTrue(c.skipped().stream().anyMatch(s -> s.startsWith("Dockerfile (not UTF-8")), c.skipped().toString());
        // a lock file is exempt from the per-file cap, anything else is not
        assertTrue(c.skipped().stream().anyMatch(s -> s.startsWith("huge/big.dockerfile (")), c.skipped().toString());
        assertEquals(2, c.skipped().size(), c.skipped().toString());
        assertTrue(c.files().stream().noneMatch(f -> f.content().contains("hunter2")), "no .env");
    }

    @Test
    void secretsInConfigurationFilesAreMaskedAndNamed(@TempDir Path project) throws IOException {
        write(project, "src/main/resources/application.properties", String.join("\n",
                "quarkus.http.port=${PORT:8080}",
                "quarkus.datasource.username=app",
                "quarkus.datasource.password=hunter2",
                "%prod.quarkus.oidc.credentials.secret = s3cr3t-oidc",
                "mp.jwt.verify.publickey=${JWT_PUBLIC_KEY}",
                "stripe.apiKey: sk_live_123",
                "quarkus.datasource.jdbc.url=jdbc:postgresql://app:pg-pass-9@db:5432/shop",
                "# quarkus.datasource.password=not-a-setting"));
        write(project, "src/main/resources/application.yaml", String.join("\n",
                "quarkus:",
                "  datasource:",
                "    username: app",
                "    password: \"yaml-pass\"",
                "  http:",
                "    port: 8080",
                "token: ${GITHUB_TOKEN}",
                "private-key: |",
                "  -----BEGIN KEY-----",
                "  pem-body-line",
                "after: kept"));
        write(project, "gradle.properties", "org.gradle.jvmargs=-Xmx2g\nsigning.password=gradle-sign\n");
        write(project, ".mvn/wrapper/maven-wrapper.properties",
                "distributionUrl=https\\://deployer:wrapper-tok@repo.example.com/maven.zip\n");

        ProjectFiles.Collected c = ProjectFiles.collect(project);
        String all = c.files().stream().map(FileInput::content).reduce("", String::concat);
        for (String secret : List.of("hunter2", "s3cr3t-oidc", "sk_live_123", "pg-pass-9", "yaml-pass", "pem-body-line",
                "gradle-sign", "wrapper-tok", "deployer")) {
            assertFalse(all.contains(secret), secret + " masked: " + all);
        }
        for (String kept : List.of("${PORT:8080}", "quarkus.datasource.username=app", "${JWT_PUBLIC_KEY}",
                "${GITHUB_TOKEN}", "port: 8080", "after: kept", "-Xmx2g", "not-a-setting",
                "jdbc:postgresql://***@db:5432/shop", "https\\://***@repo.example.com/maven.zip",
                "quarkus.datasource.password=***")) {
            assertTrue(all.contains(kept), kept + " kept: " + all);
        }
        assertEquals(List.of("src/main/resources/application.properties: quarkus.datasource.password (line 3)",
                "src/main/resources/application.properties: %prod.quarkus.oidc.credentials.secret (line 4)",
                "src/main/resources/application.properties: stripe.apiKey (line 6)",
                "src/main/resources/application.properties: credentials in a URL (line 7)"),
                c.masked().stream().filter(m -> m.contains("application.properties")).toList());
        assertTrue(c.masked().containsAll(List.of("src/main/resources/application.yaml: quarkus.datasource.password (line 4)",
                "src/main/resources/application.yaml: private-key (line 8)", "gradle.properties: signing.password (line 2)",
                ".mvn/wrapper/maven-wrapper.properties: credentials in a URL (line 1)")), c.masked().toString());
        assertEquals(8, c.masked().size(), c.masked().toString());
    }

    @Test
    void theWalkStopsOnceTheTotalIsSpentAndABigLockFileKeepsItsPath(@TempDir Path project) throws IOException {
        int quarter = (int) ProjectFiles.MAX_FILE_BYTES - 1024;
        for (int i = 0; i < 8; i++) {
            write(project, "m" + i + "/pom.xml", "x".repeat(quarter));
        }
        ProjectFiles.Collected c = ProjectFiles.collect(project);
        assertEquals(6, c.files().size(), "six fit in " + ProjectFiles.MAX_TOTAL_BYTES / 1024 + " KB");
        assertEquals(1, c.skipped().size(), "said once: " + c.skipped());
        assertTrue(c.skipped().get(0).contains("stopped looking"), c.skipped().toString());

        Path other = project.resolve("other");
        write(other, "pom.xml", "<project/>");
        write(other, "yarn.lock", "x".repeat((int) ProjectFiles.MAX_TOTAL_BYTES + 1));
        write(other, "web/package-lock.json", "x".repeat((int) ProjectFiles.MAX_TOTAL_BYTES + 1));
        ProjectFiles.Collected big = ProjectFiles.collect(other);
        assertEquals(List.of("pom.xml", "web/package-lock.json", "yarn.lock"),
                big.files().stream().map(FileInput::path).toList());
        assertTrue(big.files().get(2).content().startsWith("# content left out"), big.files().get(2).content());
        assertTrue(big.files().get(1).content().startsWith("{\"backend-team\": \"content left out"),
                big.files().get(1).content());
        assertEquals(2, big.skipped().size(), big.skipped().toString());
        assertTrue(big.bytes() < 1024, "notes only");
    }

    @Test
    void aLongListIsCutAfterTwenty() {
        List<String> many = java.util.stream.IntStream.range(0, 25).mapToObj(i -> "f" + i).toList();
        assertEquals(String.join(", ", many.subList(0, 20)) + " and 5 more", ProjectFiles.shown(many));
        assertEquals("a, b", ProjectFiles.shown(List.of("a", "b")));
    }

    @Test
    void aFileInsteadOfAFolderIsRefusedPlainly(@TempDir Path project) throws IOException {
        write(project, "pom.xml", "<project/>");
        assertTrue(assertThrows(JobFile.JobFileException.class, () -> ProjectFiles.collect(project.resolve("pom.xml")))
                .getMessage().contains("--files needs a folder"));
    }

    @Test
    void aJobsOwnFileWinsOverTheProjectsOfTheSamePath(@TempDir Path dir) throws IOException {
        Path job = dir.resolve("deploy.json");
        Files.writeString(job, "{\"task\":\"deploy it\",\"files\":[{\"path\":\"pom.xml\",\"content\":\"mine\"}]}");
        JobFile merged = JobFile.read(job).withFiles(List.of(new FileInput("pom.xml", "project's"),
                new FileInput("api/pom.xml", "<project/>")));
        assertEquals(List.of("pom.xml:mine", "api/pom.xml:<project/>"), merged.request().files().stream()
                .map(f -> f.path() + ":" + f.content()).toList());
    }
}
