package dev.backendteam.ops.deployment;

import dev.backendteam.ops.deployment.docker.Dockerfile;
import dev.backendteam.ops.deployment.docker.DockerfileLinter;
import dev.backendteam.ops.deployment.docker.DockerfileParser;
import dev.backendteam.ops.deployment.docker.Instruction;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The instruction parser reads what the builder reads: continuations, comments, exec form, heredocs, stages. */
class DockerfileParserTest {

    @Test
    void continuationsCommentsFlagsAndStages() {
        Dockerfile f = DockerfileParser.parse("""
                # a comment
                ARG BASE=eclipse-temurin:17.0.15_6-jre-jammy
                from --platform=linux/amd64 maven:3.9.9-eclipse-temurin-17 AS Build
                RUN mvn -B \\
                # a comment inside the continuation is dropped
                    dependency:go-offline \\

                    -q
                COPY --from=build --chown=10001:0 /build/target/app.jar /app/
                FROM ${BASE}
                ENTRYPOINT ["java", "-jar", "/app/app.jar"]
                CMD java -jar app.jar
                """);
        assertTrue(f.problems().isEmpty(), f.problems().toString());
        assertEquals(2, f.stages().size());
        assertEquals("build", f.stages().get(0).name(), "stage names are case-insensitive");
        assertEquals("maven:3.9.9-eclipse-temurin-17", f.stages().get(0).image());
        Instruction from = f.stages().get(0).from();
        assertEquals("linux/amd64", from.flags().get("platform"));
        Instruction run = f.instructions().get(2);
        assertEquals("RUN", run.keyword());
        assertEquals(4, run.line());
        assertEquals(List.of("mvn", "-B", "dependency:go-offline", "-q"), run.words());
        Instruction copy = f.instructions().get(3);
        assertEquals("build", copy.flags().get("from"));
        assertEquals(List.of("/build/target/app.jar", "/app/"), copy.words());
        assertEquals(-1, f.instructions().get(0).stage());
        Instruction entry = f.instructions().get(5);
        assertEquals(List.of("java", "-jar", "/app/app.jar"), entry.execForm());
        assertNull(f.instructions().get(6).execForm(), "CMD in shell form");
    }

    @Test
    void heredocsAndTheEscapeDirective() {
        Dockerfile f = DockerfileParser.parse("""
                # escape=`
                FROM node:22.20.0-bookworm-slim
                RUN <<EOF
                set -e
                npm ci \\
                EOF
                RUN echo a `
                    b
                USER node
                """);
        assertTrue(f.problems().isEmpty(), f.problems().toString());
        assertEquals(4, f.instructions().size());
        assertTrue(f.instructions().get(1).arguments().contains("npm ci \\"), "heredoc body kept as written");
        assertEquals(List.of("echo", "a", "b"), f.instructions().get(2).words());
        assertEquals(9, f.instructions().get(3).line());
    }

    @Test
    void unreadableInputIsAParseFindingNotACrash() {
        assertEquals(List.of("docker.parse"), DockerfileLinter.standard().lint("Dockerfile",
                "FROM node:22.20.0-bookworm-slim\nRUNN npm ci\n").stream().map(f -> f.ruleId()).toList());
        assertTrue(DockerfileParser.parse("FROM x:1\nCMD [\"a\", 'b']\n").problems().get(0).message()
                .contains("JSON array"));
        assertTrue(DockerfileParser.parse("FROM x:1\nRUN <<EOF\necho\n").problems().get(0).message()
                .contains("never closed"));
        assertEquals("docker.parse", DockerfileLinter.standard().lint("Dockerfile", "").get(0).ruleId());
        assertEquals("docker.parse", DockerfileLinter.standard().lint("Dockerfile", null).get(0).ruleId());
    }
}
