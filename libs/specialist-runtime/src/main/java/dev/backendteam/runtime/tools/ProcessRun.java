package dev.backendteam.runtime.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a checker (tsc, deno, a linter) with a deadline; output goes to files so a chatty process can never block on a
 * full pipe. A checker past its deadline is killed with its children.
 */
public final class ProcessRun {
    public record Result(int exitCode, String stdout, String stderr, long millis, boolean timedOut) {
    }

    private ProcessRun() {
    }

    public static Result run(List<String> command, Path workDir, Duration timeout) throws IOException {
        Path out = Files.createTempFile("checker", ".out");
        Path err = Files.createTempFile("checker", ".err");
        long start = System.nanoTime();
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            if (workDir != null) {
                pb.directory(workDir.toFile());
            }
            Process p = pb.start();
            boolean done;
            try {
                done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                done = false;
            }
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            return new Result(done ? p.exitValue() : -1, Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), millis, !done);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
