package dev.backendteam.ops.deployment;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.Contract;
import dev.backendteam.contract.FileInput;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.ops.deployment.check.Toolchain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Tasks, the toolchain the module's build installed, and this repository's own build files read from the work tree. */
final class DeployFixtures {
    /** The tests run in specialist-ops/: the repository root is its parent. */
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final Toolchain TOOLCHAIN = Toolchain.locate(Optional.empty(), Duration.ofSeconds(60));

    private DeployFixtures() {
    }

    static TaskEvent task(TaskKind kind, List<FileInput> files, List<Artifact> artifacts) {
        JobInputs inputs = new JobInputs(null, null, null, null, null, files, null, null);
        return new TaskEvent(Contract.VERSION, "t-1", "job-1", 1, 1, Specialist.OPS, "deployment", kind,
                "deploy this repository to Railway", inputs, artifacts, 0, null);
    }

    /** The root pom, every module's pom and every service's and library's configuration file, as a user would send. */
    static List<FileInput> ownBuildFiles() {
        List<FileInput> files = new ArrayList<>();
        try (var walk = Files.walk(REPO)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String rel = REPO.relativize(p).toString().replace('\\', '/');
                if (rel.contains("/target/") || rel.startsWith(".") || rel.contains("node_modules")
                        || rel.contains("/src/test/")) {
                    continue;
                }
                if (rel.endsWith("pom.xml") || rel.endsWith("src/main/resources/application.properties")
                        || rel.endsWith("src/main/resources/META-INF/microprofile-config.properties")
                        || rel.equals("mvnw")) {
                    files.add(new FileInput(rel, Files.readString(p)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    static String content(List<Artifact> artifacts, String name) {
        return artifacts.stream().filter(a -> a.name().equals(name)).map(Artifact::content).findFirst()
                .orElseThrow(() -> new AssertionError("no artifact " + name + " in " + artifacts.stream()
                        .map(Artifact::name).toList()));
    }
}
