package dev.backendteam.stack.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands that need no running stack; what they say and their exit codes. */
class LauncherTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int execute(Path root, String... args) {
        return new Launcher(root, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false).execute(List.of(args));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theFirstApiKeyIsTheLaunchersOwn() {
        assertEquals("alice-key-0123456789",
                Launcher.firstApiKey("alice:alice-key-0123456789, bob:bob-key-0123456789"));
        assertEquals("bare-key-0123456789", Launcher.firstApiKey(" , bare-key-0123456789"));
        assertNull(Launcher.firstApiKey(null));
        assertNull(Launcher.firstApiKey(" "));
    }

    @Test
    void helpAndUsageErrors(@TempDir Path root) {
        assertEquals(0, execute(root, "--help"));
        assertTrue(out().startsWith("backend-team: run a backend job"), out());
        assertEquals(2, execute(root, "launch"));
        assertTrue(err().contains("backend-team: unknown command 'launch'"), err());
        assertTrue(err().contains("./backend-team --help lists the commands and options"), err());
    }

    @Test
    void aBadJobFileStopsRunBeforeAnythingStarts(@TempDir Path root) throws IOException {
        Path job = Files.writeString(root.resolve("job.yaml"), "tsak: typo\n");
        assertEquals(2, execute(root, "run", job.toString()));
        assertTrue(err().contains("unknown field 'tsak' at line 1"), err());
        assertFalse(Files.exists(root.resolve(".backend-team")), "nothing was started");
    }

    @Test
    void withNothingRunningStatusDownAndLogsSaySo(@TempDir Path root) {
        assertEquals(3, execute(root, "status"));
        assertTrue(out().contains("nothing is running from"), out());
        assertEquals(0, execute(root, "down"));
        assertTrue(out().contains("nothing is running from"), out());
        assertEquals(2, execute(root, "logs", "db-architect"));
        assertTrue(err().contains("no log for specialist-db-architect at"), err());
        assertEquals(2, execute(root, "logs", "redis"));
        assertTrue(err().contains("unknown component 'redis'"), err());
    }

    @Test
    void logsPrintsTheComponentsLog(@TempDir Path root) throws IOException {
        Path logs = Files.createDirectories(root.resolve(".backend-team").resolve("logs"));
        Files.writeString(logs.resolve("orchestrator.log"), "started\n");
        assertEquals(0, execute(root, "logs", "gateway"));
        assertEquals("started\n", out());
    }

    @Test
    void followingStartsWithTheLastLines(@TempDir Path dir) throws IOException {
        Path log = Files.writeString(dir.resolve("x.log"), "one\ntwo\nthree\n");
        assertEquals(4, LogCommand.startOfLastLines(log, 2), "two\nthree\n");
        assertEquals(0, LogCommand.startOfLastLines(log, 3));
        assertEquals(0, LogCommand.startOfLastLines(log, 20), "fewer lines than asked: all of them");
        Path unterminated = Files.writeString(dir.resolve("y.log"), "one\ntwo");
        assertEquals(4, LogCommand.startOfLastLines(unterminated, 1));
    }

    @Test
    void onlyACommandThatDidItsWorkMarksTheLaunchersArchiveToKeep(@TempDir Path dir) throws IOException {
        Path archive = dir.resolve("launcher-k.jsa.42");
        Path marker = dir.resolve("launcher-k.jsa.42" + Launcher.TRAINED_SUFFIX);
        for (int failed : List.of(Launcher.EXIT_USAGE, Launcher.EXIT_STACK, Launcher.EXIT_INTERRUPTED)) {
            Launcher.markTrained(archive.toString(), failed);
            assertFalse(Files.exists(marker), "exit " + failed);
        }
        Launcher.markTrained(null, Launcher.EXIT_OK);
        assertFalse(Files.exists(marker), "no archive in the making");
        for (int done : List.of(Launcher.EXIT_OK, Launcher.EXIT_JOB_FAILED, Launcher.EXIT_NEEDS_INPUT)) {
            Launcher.markTrained(archive.toString(), done);
            assertTrue(Files.exists(marker), "exit " + done);
            Files.delete(marker);
        }
    }
}
