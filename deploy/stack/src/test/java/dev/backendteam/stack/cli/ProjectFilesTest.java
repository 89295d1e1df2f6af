package dev.backendteam.stack.cli;

import dev.backendteam.contract.FileInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

        ProjectFiles.Collected c = ProjectFiles.collect(project);
        assertEquals(List.of(".github/workflows/ci.yml", "Dockerfile.native", "api/pom.xml",
                "api/src/main/resources/application.properties", "pom.xml", "web/package.json"), c.files().stream().map(FileInput::path).toList());
        assertTrue(c.skipped().stream().anyMatch(s -> s.startsWith("Dockerfile (not UTF-8")), c.skipped().toString());
        assertTrue(c.skipped().stream().anyMatch(s -> s.startsWith("huge/package-lock.json (")), c.skipped().toString());
        assertTrue(c.files().stream().noneMatch(f -> f.content().contains("hunter2")), "no .env");
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
