package dev.backendteam.ops.deployment;

import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.ops.deployment.check.SchemaCheck;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code deploy/docker-compose.yml}, for people with Docker (this machine has no engine to run it): valid against the
 * Compose Specification's schema as Compose reads it (merge keys resolved), one service per Dockerfile of the
 * repository built from the repository root, and no secret value in it.
 */
class ComposeFileTest {
    private static final Path COMPOSE = DeployFixtures.REPO.resolve("deploy/docker-compose.yml");
    private static final Pattern SECRET_NAME = Pattern.compile("PASSWORD|SECRET|API_KEY|TOKEN");

    private static String compose() throws IOException {
        return Files.readString(COMPOSE);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> services() throws IOException {
        Map<String, Object> doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(compose());
        return (Map<String, Object>) doc.get("services");
    }

    @Test
    void theComposeFileIsValidAgainstTheComposeSpecification() throws IOException {
        Evidence e = new SchemaCheck().check("deploy/docker-compose.yml", compose());
        assertEquals(EvidenceStatus.PASSED, e.status(), e.details());
        assertTrue(e.details().contains("Compose Specification"), e.details());
    }

    @Test
    void aWrongFieldATypoOrABrokenMergeFailsTheSchemaCheck() throws IOException {
        SchemaCheck schemas = new SchemaCheck();
        String good = compose();
        Evidence typo = schemas.check("deploy/docker-compose.yml", good.replace("    healthcheck:\n", "    healthchek:\n"));
        assertEquals(EvidenceStatus.FAILED, typo.status(), "an unknown service field fails");
        assertTrue(typo.details().contains("healthchek"), typo.details());
        Evidence wrongType = schemas.check("deploy/docker-compose.yml",
                good.replace("    ports:\n      - \"8080:8080\"\n", "    ports: \"8080:8080\"\n"));
        assertEquals(EvidenceStatus.FAILED, wrongType.status(), "ports is a list: " + wrongType.details());
        assertTrue(wrongType.details().contains("ports"), wrongType.details());
        Evidence badCondition = schemas.check("deploy/docker-compose.yml",
                good.replace("condition: service_healthy", "condition: healthy"));
        assertEquals(EvidenceStatus.FAILED, badCondition.status(), badCondition.details());
        // a merge of an anchor that is no mapping: Compose refuses it, and so does the check (it does not crash)
        Evidence badMerge = schemas.check("compose.yaml", "x-a: &a [1, 2]\nservices:\n  s:\n    <<: *a\n    image: x:1\n");
        assertEquals(EvidenceStatus.FAILED, badMerge.status(), badMerge.details());
        assertEquals(EvidenceStatus.FAILED, schemas.check("compose.yaml", "services: [").status(), "unparsable");
        assertEquals(EvidenceStatus.FAILED, schemas.check("compose.yaml",
                "services:\n  a:\n    image: x:1\n  a:\n    image: y:1\n").status(), "a duplicate service key");
    }

    @Test
    void composeFilesAreRecognisedByName() {
        for (String path : List.of("docker-compose.yml", "compose.yaml", "deploy/docker-compose.yml",
                "docker-compose.prod.yml", "compose.override.yaml")) {
            assertEquals("compose-spec.json", SchemaCheck.schemaFor(path).orElse(null), path);
        }
        for (String path : List.of("composer.json", "docker-compose.txt", "my-compose-notes.yml")) {
            assertTrue(SchemaCheck.schemaFor(path).isEmpty(), path);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyServiceWithADockerfileIsBuiltFromTheRepositoryRootWithIt() throws IOException {
        Set<String> withDockerfile = new TreeSet<>();
        try (Stream<Path> dirs = Files.list(DeployFixtures.REPO)) {
            dirs.filter(d -> Files.isRegularFile(d.resolve("Dockerfile")))
                    .forEach(d -> withDockerfile.add(d.getFileName().toString()));
        }
        assertTrue(withDockerfile.contains("orchestrator") && withDockerfile.contains("specialist-ops"),
                "the services' Dockerfiles are committed: " + withDockerfile);
        Set<String> built = new TreeSet<>();
        services().forEach((name, definition) -> {
            Map<String, Object> service = (Map<String, Object>) definition;
            Object build = service.get("build");
            if (build instanceof Map<?, ?> b) {
                built.add(name);
                Path context = COMPOSE.getParent().resolve(String.valueOf(b.get("context"))).normalize();
                assertEquals(DeployFixtures.REPO, context, name + " builds from the repository root (libs/ come along)");
                assertEquals(name + "/Dockerfile", b.get("dockerfile"), name);
                assertTrue(Files.isRegularFile(context.resolve(String.valueOf(b.get("dockerfile")))), name);
            }
        });
        assertEquals(withDockerfile, built, "one compose service per Dockerfile");
    }

    @Test
    @SuppressWarnings("unchecked")
    void noSecretValueIsWrittenEveryOneComesFromTheEnvironment() throws IOException {
        int secrets = 0;
        for (Map.Entry<String, Object> s : services().entrySet()) {
            Object env = ((Map<String, Object>) s.getValue()).get("environment");
            if (!(env instanceof Map<?, ?> vars)) {
                continue;
            }
            for (Map.Entry<?, ?> v : vars.entrySet()) {
                if (SECRET_NAME.matcher(String.valueOf(v.getKey())).find()) {
                    secrets++;
                    assertTrue(String.valueOf(v.getValue()).matches("\\$\\{[A-Z0-9_]+(:[-?][^}]*)?}"),
                            s.getKey() + "." + v.getKey() + " is read from the environment, not written: " + v.getValue());
                }
            }
        }
        assertTrue(secrets >= 5, "the passwords and keys were found (merge keys resolved): " + secrets);
    }
}
