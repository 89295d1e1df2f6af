package dev.backendteam.stack;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/** The per-component log files: a marker line before each start, and the tail for error messages. */
final class LogFiles {
    static final int TAIL_LINES = 40;
    private static final int TAIL_BYTES = 16 * 1024;

    private LogFiles() {
    }

    static void marker(Path log, String text) {
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            Files.writeString(log, "---- " + Instant.now() + " " + text + " ----" + System.lineSeparator(),
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new StackException("cannot write " + log, e);
        }
    }

    /** The last lines of the log, indented, for an exception message; never fails. */
    static String tail(Path log) {
        if (!Files.isRegularFile(log)) {
            return "  (no log at " + log + ")";
        }
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(0, file.length() - TAIL_BYTES);
            byte[] bytes = new byte[(int) (file.length() - start)];
            file.seek(start);
            file.readFully(bytes);
            String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\\R");
            StringBuilder out = new StringBuilder();
            for (int i = Math.max(start > 0 ? 1 : 0, lines.length - TAIL_LINES); i < lines.length; i++) {
                out.append("  | ").append(lines[i]).append(System.lineSeparator());
            }
            return out.toString();
        } catch (IOException e) {
            return "  (cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    static String describe(Path log) {
        return "last lines of " + log + ":" + System.lineSeparator() + tail(log);
    }
}
