package dev.backendteam.e2e;

import dev.backendteam.contract.KafkaSecurity;
import dev.backendteam.stack.Ports;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.backendteam.e2e.RunningStack.stack;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stack's broker speaks SASL_SSL only; a service is configured for it by the KAFKA_* variables alone. A second
 * instance of a specialist given a wrong password stays out of rotation: /q/health/ready answers 503 and says that
 * the broker refused the credentials of its user and which variables to fix, and neither its readiness nor its log
 * shows the password.
 */
@ExtendWith(RunningStack.class)
class KafkaCredentialsIT {
    private static final String SERVICE = "specialist-security";

    @Test
    void theRunningServicesReachTheSaslSslBrokerAndSayItOnReadiness() {
        given().baseUri(stack().service(SERVICE).url()).get("/q/health/ready").then().statusCode(200);
        Response ready = given().baseUri(stack().service(SERVICE).url()).get("/q/health/ready");
        assertEquals("SASL_SSL", ready.path("checks.find { it.name == 'kafka' }.data.'security.protocol'"), ready.asString());
        assertEquals("UP", ready.path("checks.find { it.name == 'kafka' }.status"));
    }

    @Test
    void anInstanceWithAWrongPasswordIsNotReadyAndSaysWhyWithoutThePassword() throws Exception {
        String wrong = "wrong-password-" + Long.toHexString(System.nanoTime());
        Map<String, String> env = new HashMap<>(stack().service(SERVICE).environment());
        assertEquals("SASL_SSL", env.get(KafkaSecurity.PROTOCOL), "the stack runs its services on SASL_SSL");
        env.put(KafkaSecurity.PASSWORD, wrong);
        int port = Ports.free();
        env.put("PORT", Integer.toString(port));
        Path jar = stack().config().projectRoot().resolve(SERVICE).resolve("target/quarkus-app/quarkus-run.jar");
        Path log = Files.createTempFile(Path.of("target"), "wrong-kafka-password-", ".log").toAbsolutePath();
        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", jar.toString()))
                .directory(jar.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            String reason = awaitNotReady("http://" + Ports.HOST + ":" + port, process, Duration.ofSeconds(120));
            assertTrue(reason.contains("refused the SASL PLAIN credentials of user " + env.get(KafkaSecurity.USERNAME)
                    + " (KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD)"), reason);
            assertFalse(reason.contains(wrong), reason);
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        String output = Files.readString(log);
        assertTrue(output.contains("started in"), "the instance did start: " + output.substring(0, Math.min(2000, output.length())));
        assertFalse(output.contains(wrong), "the password is not in the instance's log " + log);
    }

    /** Polls readiness until it answers 503 with the kafka check's reason; returns the whole body. */
    private static String awaitNotReady(String url, Process process, Duration wait) throws InterruptedException {
        Instant until = Instant.now().plus(wait);
        String last = "no answer";
        while (Instant.now().isBefore(until)) {
            if (!process.isAlive()) {
                throw new AssertionError("the instance exited with " + process.exitValue());
            }
            try {
                Response r = given().baseUri(url).get("/q/health/ready");
                last = r.statusCode() + " " + r.asString();
                String reason = r.path("checks.find { it.name == 'kafka' }.data.reason");
                if (r.statusCode() == 503 && reason != null) {
                    return r.asString();
                }
            } catch (Exception notYetListening) {
                // not listening yet: RestAssured rethrows the checked ConnectException as it is
                last = notYetListening.toString();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("readiness did not report the refused credentials within " + wait.toSeconds()
                + " s; last: " + last);
    }
}
