package dev.backendteam.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A pid file finds its process again, also after the wall clock stepped, and never a recycled pid. */
class PidFileTest {

    @Test
    void theProcessIsFoundByItsStartSinceBootWhateverTheClockDid(@TempDir Path state) throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            PidFile file = PidFile.of(state, "sleeper");
            file.write(sleeper.toHandle());
            assertEquals(sleeper.pid(), file.liveProcess().orElseThrow().pid());
            Path path = state.resolve("pids/sleeper.pid");

            // the wall clock stepped by an hour since the file was written: the JDK's start date moved with it
            edit(path, p -> p.setProperty("started", Instant.parse(p.getProperty("started"))
                    .minus(Duration.ofHours(1)).toString()));
            assertEquals(sleeper.pid(), file.liveProcess().orElseThrow().pid(), "the same process, found again");

            // another process under the same pid started at another tick
            edit(path, p -> p.setProperty("start-ticks", Long.toString(Long.parseLong(p.getProperty("start-ticks"))
                    + 1)));
            assertTrue(file.liveProcess().isEmpty(), "a recycled pid is not the recorded process");

            // a file without ticks (not Linux, or an older launcher) falls back to the start date and its tolerance
            edit(path, p -> p.remove("start-ticks"));
            assertTrue(file.liveProcess().isEmpty(), "an hour apart is another process by the date");
        } finally {
            sleeper.destroyForcibly().waitFor();
        }
    }

    @Test
    void startTicksComeFromProcStatAndAreEmptyForNoProcess() throws Exception {
        long self = ProcessHandle.current().pid();
        long ticks = PidFile.startTicks(self).orElseThrow();
        assertTrue(ticks > 0, "ticks since boot: " + ticks);
        assertEquals(ticks, PidFile.startTicks(self).orElseThrow(), "read twice, the same");
        assertTrue(PidFile.startTicks(Long.MAX_VALUE).isEmpty());
    }

    private static void edit(Path path, Consumer<Properties> change) throws Exception {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        change.accept(p);
        try (Writer out = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
            p.store(out, "edited");
        }
    }
}
