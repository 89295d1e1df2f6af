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
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

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

    /**
     * The root pom, every module's pom, every service's and library's configuration file and the modules' toolchain
     * manifests (package.json and its lock), as {@code run --files .} sends them.
     */
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
                        || rel.equals("mvnw") || rel.matches("[^/]+/toolchain/package(-lock)?\\.json")) {
                    String content = Files.readString(p);
                    files.add(new FileInput(rel, rel.endsWith(".properties") ? masked(content) : content));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static final Pattern SECRET_WORD = Pattern.compile("PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIAL|PRIVATE");
    private static final Pattern PROPERTY = Pattern.compile("^(\\s*[^#!\\s=:][^=:\\s]*\\s*[=:]\\s*)(.+)$");
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{[A-Za-z0-9_.\\-]+:?}");

    /**
     * A configuration file as run --files sends it (deploy/stack's ProjectFiles): the value of a secret-looking key
     * (a word password, secret, token, credential, private, or one ending in key) masked unless it is only an
     * {@code ${ENV}} reference. The engine then sees what the launcher's job sees.
     */
    static String masked(String properties) {
        return properties.lines().map(line -> {
            Matcher m = PROPERTY.matcher(line);
            if (!m.matches() || ENV_REFERENCE.matcher(m.group(2).strip()).matches()) {
                return line;
            }
            String key = m.group(1).replaceAll("\\s*[=:]\\s*$", "").strip();
            boolean secret = SECRET_WORD.matcher(key.toUpperCase(Locale.ROOT)).find()
                    || Pattern.compile("[A-Za-z0-9]+").matcher(key.replaceAll("([a-z0-9])([A-Z])", "$1 $2")).results()
                    .map(w -> w.group().toUpperCase(Locale.ROOT)).anyMatch(w -> w.endsWith("KEY") || w.equals("KEYS"));
            return secret ? m.group(1) + "***" : line;
        }).collect(Collectors.joining("\n", "", properties.endsWith("\n") ? "\n" : ""));
    }

    static String content(List<Artifact> artifacts, String name) {
        return artifacts.stream().filter(a -> a.name().equals(name)).map(Artifact::content).findFirst()
                .orElseThrow(() -> new AssertionError("no artifact " + name + " in " + artifacts.stream()
                        .map(Artifact::name).toList()));
    }
}
