package dev.backendteam.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceProcessTest {

    static List<String> standInCommand() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m", "-XX:TieredStopAtLevel=1", "-cp", testClasses().toString(), StandInService.class.getName());
    }

    static Path testClasses() {
        try {
            return Path.of(StandInService.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String get(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), url);
        return response.body();
    }

    @Test
    void startsKillsRestartsAndStopsARealProcess(@TempDir Path state) throws Exception {
        PidFile pidFile = PidFile.of(state, "stand-in");
        ServiceProcess service = new ServiceProcess("stand-in", standInCommand(), Map.of("GREETING", "hello"), 0,
                state.resolve("logs/stand-in.log")).withPidFile(pidFile).withReadyTimeout(Duration.ofSeconds(30));
        try {
            service.start();
            assertTrue(service.isAlive());
            assertEquals("hello", get(service.url() + "/env/GREETING"));
            assertEquals(Integer.toString(service.port()), get(service.url() + "/env/PORT"));
            long first = service.pid();
            assertEquals(first, pidFile.liveProcess().orElseThrow().pid());

            service.kill();
            assertFalse(service.isAlive());
            assertFalse(ProcessHandle.of(first).map(Signals::isRunning).orElse(false));
            assertFalse(pidFile.exists());

            service.restart();
            long second = service.pid();
            assertNotEquals(first, second);
            assertEquals("hello", get(service.url() + "/env/GREETING"));

            service.stop();
            assertFalse(ProcessHandle.of(second).map(Signals::isRunning).orElse(false));
            String log = Files.readString(service.logFile());
            assertTrue(log.contains("stand-in stopping on SIGTERM"), "stop() sends SIGTERM first:\n" + log);
            assertEquals(2, log.split("stand-in starting on port", -1).length - 1, "one marker per start");
        } finally {
            service.kill();
        }
    }

    @Test
    void aProcessThatExitsAtStartIsReportedWithItsLog(@TempDir Path state) {
        ServiceProcess service = new ServiceProcess("crasher", standInCommand(), Map.of("EXIT_AT_START", "3"), 0,
                state.resolve("crasher.log"));
        StackException e = assertThrows(StackException.class, service::start);
        assertTrue(e.getMessage().contains("crasher exited with code 3"), e.getMessage());
        assertTrue(e.getMessage().contains("stand-in failing at start as asked"), e.getMessage());
    }

    @Test
    void aProcessThatNeverGetsReadyIsKilledAfterTheTimeout(@TempDir Path state) {
        ServiceProcess service = new ServiceProcess("unready", standInCommand(), Map.of("READY_STATUS", "503"), 0,
                state.resolve("unready.log")).withReadyTimeout(Duration.ofSeconds(3));
        StackException e = assertThrows(StackException.class, service::start);
        assertTrue(e.getMessage().contains("was not ready") && e.getMessage().contains("HTTP 503"), e.getMessage());
        assertFalse(service.isAlive());
    }
}
