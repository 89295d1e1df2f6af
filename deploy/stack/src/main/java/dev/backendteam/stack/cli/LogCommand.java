package dev.backendteam.stack.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code logs <component> [-f]}: prints {@code <state>/logs/<component>.log}; with {@code -f} prints its last lines,
 * then what is appended, and starts over when the file is replaced (a new start rotates the logs) — until Ctrl-C.
 */
final class LogCommand {
    static final String LAUNCHER = "launcher";
    private static final Duration POLL = Duration.ofMillis(250);
    /** -f starts with the last lines, as tail -f does, not with the whole log. */
    private static final int FOLLOW_FROM_LINES = 20;

    private LogCommand() {
    }

    /** The log's component name: a stack component (short names for specialists, "gateway") or "launcher". */
    static String component(String name) {
        if (name.toLowerCase(Locale.ROOT).equals(LAUNCHER)) {
            return LAUNCHER;
        }
        return CommandLine.component(name, "logs");
    }

    static Path logFile(Path stateDirectory, String component) {
        return stateDirectory.resolve("logs").resolve(component + ".log");
    }

    static int run(Path stateDirectory, String name, boolean follow, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        String component;
        try {
            component = component(name);
        } catch (CommandLine.UsageException e) {
            if (name.equalsIgnoreCase(CommandLine.KAFKA_CONTROLLER)) {
                throw new CommandLine.UsageException("the Kafka controller shares the broker's log: logs kafka");
            }
            throw new CommandLine.UsageException(e.getMessage() + "; or launcher (this tool's own log)");
        }
        if (component.equals(CommandLine.KAFKA_CONTROLLER)) {
            component = CommandLine.KAFKA;
        }
        Path log = logFile(stateDirectory, component);
        if (!Files.isRegularFile(log) && !follow) {
            err.println("no log for " + component + " at " + Launcher.display(log) + available(stateDirectory));
            return Launcher.EXIT_USAGE;
        }
        if (!follow) {
            try (InputStream in = Files.newInputStream(log)) {
                in.transferTo(out);
            }
            out.flush();
            return Launcher.EXIT_OK;
        }
        follow(log, out);
        return Launcher.EXIT_OK;
    }

    private static void follow(Path log, PrintStream out) throws IOException, InterruptedException {
        long position = Files.isRegularFile(log) ? startOfLastLines(log, FOLLOW_FROM_LINES) : 0;
        Object fileKey = null;
        byte[] buffer = new byte[64 * 1024];
        while (!Thread.currentThread().isInterrupted()) {
            if (Files.isRegularFile(log)) {
                Object key = Files.readAttributes(log, BasicFileAttributes.class).fileKey();
                long size = Files.size(log);
                if (fileKey != null && (!fileKey.equals(key) || size < position)) {
                    position = 0;
                }
                fileKey = key;
                if (size > position) {
                    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
                        file.seek(position);
                        int n;
                        while ((n = file.read(buffer)) > 0) {
                            out.write(buffer, 0, n);
                            position += n;
                        }
                    }
                    out.flush();
                }
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** Where the last {@code lines} lines begin (within the last 64 KiB), as {@code tail -n} would start. */
    static long startOfLastLines(Path log, int lines) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            long from = Math.max(0, length - 64 * 1024);
            byte[] tail = new byte[(int) (length - from)];
            file.seek(from);
            file.readFully(tail);
            int newlines = 0;
            // A last line that ends with its newline is not counted as the start of another.
            for (int i = tail.length - 2; i >= 0; i--) {
                if (tail[i] == '\n' && ++newlines == lines) {
                    return from + i + 1;
                }
            }
            return from;
        }
    }

    private static String available(Path stateDirectory) throws IOException {
        Path dir = stateDirectory.resolve("logs");
        if (!Files.isDirectory(dir)) {
            return " (no logs yet: nothing has started from " + Launcher.display(stateDirectory) + ")";
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".log"))
                    .map(n -> n.substring(0, n.length() - ".log".length())).sorted().toList();
            return names.isEmpty() ? "" : "; logs there: " + String.join(", ", names);
        }
    }
}
