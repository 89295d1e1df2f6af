package dev.backendteam.stack;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code <state>/pids/<component>.pid}: the pid of a process this stack started, with the process's start time
 * and command, so that a later run (another JVM) can find it again and a recycled pid is not mistaken for it.
 *
 * <p>On Linux the process is recognised by its start in clock ticks since boot ({@code /proc/<pid>/stat}, field 22),
 * which no clock change moves. The start as a date, which the JDK derives from the boot time, moves with every step
 * of the wall clock (NTP, a virtual machine resumed from a snapshot): read again after such a step, it no longer
 * matched, and a stack's services were taken for recycled pids, left running and forgotten (issue 13).
 */
public final class PidFile {
    private static final String SUFFIX = ".pid";
    /** /proc start times have clock-tick precision; two readings of the same process agree well within this. */
    private static final Duration START_TOLERANCE = Duration.ofSeconds(2);
    private static final String START_TICKS = "start-ticks";

    private final Path path;
    private final String component;

    private PidFile(Path path, String component) {
        this.path = path;
        this.component = component;
    }

    public static PidFile of(Path stateDirectory, String component) {
        return new PidFile(directory(stateDirectory).resolve(component + SUFFIX), component);
    }

    public static Path directory(Path stateDirectory) {
        return stateDirectory.resolve("pids");
    }

    /** Every pid file in the state folder, in no particular order. */
    public static List<PidFile> all(Path stateDirectory) {
        Path dir = directory(stateDirectory);
        List<PidFile> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path p : stream) {
                String name = p.getFileName().toString();
                files.add(new PidFile(p, name.substring(0, name.length() - SUFFIX.length())));
            }
        } catch (IOException e) {
            throw new StackException("cannot list " + dir, e);
        }
        return files;
    }

    public Path path() {
        return path;
    }

    public String component() {
        return component;
    }

    public boolean exists() {
        return Files.isRegularFile(path);
    }

    public void write(ProcessHandle process) {
        Properties p = new Properties();
        p.setProperty("pid", Long.toString(process.pid()));
        startTicks(process.pid()).ifPresent(ticks -> p.setProperty(START_TICKS, Long.toString(ticks)));
        process.info().startInstant().ifPresent(start -> p.setProperty("started", start.toString()));
        process.info().command().ifPresent(command -> p.setProperty("command", command));
        try {
            Files.createDirectories(path.getParent());
            Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(out, component);
            }
            try {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new StackException("cannot write pid file " + path, e);
        }
    }

    /** The recorded pid, if the file exists and is readable. */
    public Optional<Long> pid() {
        return read().map(p -> Long.parseLong(p.getProperty("pid").trim()));
    }

    /** The recorded command (the executable), if known. */
    public Optional<String> command() {
        return read().map(p -> p.getProperty("command"));
    }

    /** The recorded process if it is still running and is the same process (same start time), else empty. */
    public Optional<ProcessHandle> liveProcess() {
        Optional<Properties> recorded = read();
        if (recorded.isEmpty()) {
            return Optional.empty();
        }
        long pid = Long.parseLong(recorded.get().getProperty("pid").trim());
        String started = recorded.get().getProperty("started");
        String ticks = recorded.get().getProperty(START_TICKS);
        Optional<Long> actualTicks = ticks == null ? Optional.empty() : startTicks(pid);
        return ProcessHandle.of(pid)
                .filter(Signals::isRunning)
                .filter(handle -> actualTicks.isPresent() ? actualTicks.get().equals(Long.valueOf(ticks.trim()))
                        : started == null || handle.info().startInstant()
                                .map(actual -> Duration.between(Instant.parse(started), actual).abs()
                                        .compareTo(START_TOLERANCE) <= 0)
                                .orElse(true));
    }

    /** When the process started, in clock ticks since boot (field 22 of {@code /proc/<pid>/stat}), where Linux says. */
    static Optional<Long> startTicks(long pid) {
        return ProcStat.of(pid).flatMap(stat -> stat.number(22));
    }

    public void delete() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new StackException("cannot delete pid file " + path, e);
        }
    }

    private Optional<Properties> read() {
        if (!Files.isRegularFile(path)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new StackException("cannot read pid file " + path, e);
        }
        String pid = p.getProperty("pid");
        if (pid == null || !pid.trim().matches("\\d+")) {
            throw new StackException("pid file " + path + " has no pid");
        }
        return Optional.of(p);
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
