package dev.backendteam.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code backend-team} script's class-data archive of the launcher (README "Start time and memory"), run as
 * users run it: a training JVM writes the archive under its pid; the next command keeps it only when the command
 * had done its work and the JVM maps it with its checksums holding. A truncated archive made JDK 17 die of SIGBUS,
 * so a reader must never be given one. The commands here need no running stack ({@code status} of an empty state
 * folder answers 3, "nothing runs"). Whatever archives the folder held before are put back afterwards.
 */
class LauncherArchiveIT {
    private static final Path ROOT = Path.of(System.getProperty("backend-team.root", "../..")).toAbsolutePath().normalize();
    private static final Path ARCHIVES = ROOT.resolve("deploy/stack/target/launcher-cds");

    @TempDir
    Path tmp;

    private record Outcome(int code, String output) {
    }

    private Outcome script(String... args) throws Exception {
        Path log = Files.createTempFile(tmp, "script", ".log");
        List<String> command = Stream.concat(Stream.of(ROOT.resolve("backend-team").toString()), Stream.of(args)).toList();
        ProcessBuilder builder = new ProcessBuilder(command).directory(tmp.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().remove("BACKEND_TEAM_STARTUP_CACHE");
        Process p = builder.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the script finished");
        return new Outcome(p.exitValue(), Files.readString(log));
    }

    private static List<Path> archives() throws IOException {
        if (!Files.isDirectory(ARCHIVES)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(ARCHIVES)) {
            return files.filter(f -> f.getFileName().toString().startsWith("launcher-")).sorted().toList();
        }
    }

    /** A pid no process has any more: one of a process that has ended. */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    @Test
    void onlyAWholeArchiveOfACommandThatDidItsWorkIsRead() throws Exception {
        Path saved = Files.createDirectories(tmp.resolve("saved"));
        for (Path f : archives()) {
            Files.move(f, saved.resolve(f.getFileName()));
        }
        String state = tmp.resolve("state").toString();
        try {
            // a run that fails on its usage trains an archive, but leaves it unmarked: it is dropped
            Outcome usage = script("run", tmp.resolve("no-such-job.yaml").toString(), "--state", state);
            assertEquals(2, usage.code(), usage.output());
            List<Path> written = archives();
            assertEquals(1, written.size(), "the training JVM wrote its archive under its pid: " + written);
            Path archive = written.get(0);
            String name = archive.getFileName().toString();
            assertTrue(name.matches("launcher-[0-9a-f]{16}\\.jsa\\.\\d+"), name);
            Path kept = ARCHIVES.resolve(name.substring(0, name.lastIndexOf('.')));
            Path whole = tmp.resolve("whole.jsa");
            Files.copy(archive, whole);

            Outcome status = script("status", "--state", state);
            assertEquals(3, status.code(), status.output());
            assertEquals(List.of(), archives(), "an archive of a failed command is not kept");

            // marked, but cut short as by a kill while the JVM wrote it: dropped, and the reader does not crash
            byte[] bytes = Files.readAllBytes(whole);
            Path truncated = ARCHIVES.resolve(kept.getFileName() + "." + deadPid());
            Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
            Files.writeString(Path.of(truncated + ".trained"), "exit 0\n");
            status = script("status", "--state", state);
            assertEquals(3, status.code(), status.output());
            assertEquals(List.of(), archives(), "a truncated archive is not kept");
            assertFalse(status.output().contains("fatal error"), status.output());

            // marked and whole: kept under its key, and read by the next command without a word
            Path marked = ARCHIVES.resolve(kept.getFileName() + "." + deadPid());
            Files.copy(whole, marked);
            Files.writeString(Path.of(marked + ".trained"), "exit 0\n");
            status = script("status", "--state", state);
            assertEquals(3, status.code(), status.output());
            assertEquals(List.of(kept), archives());
            assertArrayEquals(bytes, Files.readAllBytes(kept));
            status = script("status", "--state", state);
            assertEquals(3, status.code(), status.output());
            assertTrue(status.output().startsWith("nothing is running from "), status.output());
        } finally {
            for (Path f : archives()) {
                Files.delete(f);
            }
            try (Stream<Path> files = Files.list(saved)) {
                for (Path f : files.toList()) {
                    Files.move(f, ARCHIVES.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
