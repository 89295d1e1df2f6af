package dev.backendteam.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One service as an OS process: a packaged Quarkus app ({@code java <options> -jar …/quarkus-run.jar}) or any
 * command that serves {@value #READY_PATH} on the port it is given in the {@code PORT} environment variable.
 * Output goes to one log file, appended across restarts with a marker line per start.
 */
public final class ServiceProcess implements AutoCloseable {
    public static final String READY_PATH = "/q/health/ready";
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xmx256m");

    private static final Duration POLL = Duration.ofMillis(200);

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private Map<String, String> overrides = Map.of();
    private final int port;
    private final Path logFile;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private PidFile pidFile;
    private Path workingDirectory;
    private Duration readyTimeout = Duration.ofSeconds(90);
    private Duration stopGrace = Duration.ofSeconds(20);
    private Duration trainingStopGrace = Duration.ofSeconds(180);
    /** Set for a packaged app: the command is worked out at each start, as the start-up cache may exist by then. */
    private StartupCacheLaunch cached;
    private ServiceJvm.Launch launch;
    private Process process;

    /** The packaged app's folder, its JVM and where its start-up cache lives. */
    private record StartupCacheLaunch(ServiceJvm jvm, Path appDirectory, Path cacheDirectory, List<String> arguments) {
    }

    /**
     * @param command     the full command line
     * @param environment added to this JVM's environment; {@code PORT} is set to {@code port}
     * @param port        0 = any free port
     */
    public ServiceProcess(String name, List<String> command, Map<String, String> environment, int port, Path logFile) {
        this.name = Objects.requireNonNull(name, "name");
        this.command = List.copyOf(command);
        this.port = port == 0 ? Ports.free() : port;
        this.environment = new LinkedHashMap<>(environment);
        this.environment.put("PORT", Integer.toString(this.port));
        this.logFile = logFile.toAbsolutePath();
    }

    /** {@code java -Xmx256m -jar <runnerJar>} (the fast-jar's {@code quarkus-run.jar}), run from the jar's folder. */
    public static ServiceProcess quarkusApp(String name, Path runnerJar, int port, Map<String, String> environment,
                                            Path logFile) {
        requireJar(name, runnerJar);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(DEFAULT_JVM_OPTIONS);
        command.add("-jar");
        command.add(runnerJar.toAbsolutePath().toString());
        return new ServiceProcess(name, command, environment, port, logFile)
                .withWorkingDirectory(runnerJar.toAbsolutePath().getParent());
    }

    /**
     * {@code <jvm's java> <its memory and start-up cache options> -jar <runnerJar>}, run from the jar's folder, with
     * {@link ServiceJvm#ENVIRONMENT} under {@code environment}; the cache (if the JDK has one) in
     * {@code cacheDirectory}. A start that trains the cache is stopped with a long grace, as the JVM writes the
     * cache at exit.
     */
    public static ServiceProcess quarkusApp(String name, Path runnerJar, int port, Map<String, String> environment,
                                            Path logFile, ServiceJvm jvm, Path cacheDirectory) {
        requireJar(name, runnerJar);
        Map<String, String> env = new LinkedHashMap<>(ServiceJvm.ENVIRONMENT);
        env.putAll(environment);
        Path app = runnerJar.toAbsolutePath().getParent();
        ServiceProcess service = new ServiceProcess(name, List.of(), env, port, logFile).withWorkingDirectory(app);
        service.cached = new StartupCacheLaunch(jvm, app, cacheDirectory,
                List.of("-jar", runnerJar.toAbsolutePath().toString()));
        return service;
    }

    private static void requireJar(String name, Path runnerJar) {
        if (!Files.isRegularFile(runnerJar)) {
            throw new StackException(name + ": " + runnerJar + " does not exist; package the service first ("
                    + "./mvnw package -pl " + name + " -DskipTests)");
        }
    }

    public ServiceProcess withPidFile(PidFile file) {
        this.pidFile = file;
        return this;
    }

    public ServiceProcess withWorkingDirectory(Path dir) {
        this.workingDirectory = dir;
        return this;
    }

    /** How long {@link #start()} waits for {@value #READY_PATH} to answer 200; default 90 s. */
    public ServiceProcess withReadyTimeout(Duration timeout) {
        this.readyTimeout = timeout;
        return this;
    }

    /** How long {@link #stop()} waits after SIGTERM before SIGKILL; default 20 s. */
    public ServiceProcess withStopGrace(Duration grace) {
        this.stopGrace = grace;
        return this;
    }

    /** How long {@link #stop()} waits when this start trains the start-up cache; default 180 s. */
    public ServiceProcess withTrainingStopGrace(Duration grace) {
        this.trainingStopGrace = grace;
        return this;
    }

    /** Starts the process and waits until it is ready; on failure the process is killed and the log tail reported. */
    public synchronized ServiceProcess start() {
        if (isAlive()) {
            throw new IllegalStateException(name + " already running as pid " + process.pid());
        }
        Ports.requireFree(port, name);
        List<String> command = command();
        LogFiles.marker(logFile, name + " starting on port " + port + ": " + String.join(" ", command));
        ProcessBuilder builder = new ProcessBuilder(Signals.inOwnSession(command))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        if (workingDirectory != null) {
            builder.directory(workingDirectory.toFile());
        }
        builder.environment().putAll(environment);
        builder.environment().putAll(overrides);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new StackException(name + " could not be started: " + e.getMessage(), e);
        }
        if (pidFile != null) {
            pidFile.write(process.toHandle());
        }
        try {
            awaitReady();
        } catch (RuntimeException e) {
            kill();
            throw e;
        }
        return this;
    }

    /** The command of the next start: the fixed one, or the packaged app's with the cache as it stands now. */
    private List<String> command() {
        if (cached == null) {
            launch = null;
            return command;
        }
        // a replica uses its module's cache when there is one and never trains it (two JVMs would write one file)
        launch = StackConfig.isReplica(name)
                ? cached.jvm().launchShared(StackConfig.moduleOf(name), List.of(cached.appDirectory()), cached.cacheDirectory())
                : cached.jvm().launch(name, cached.appDirectory(), cached.cacheDirectory());
        List<String> full = new ArrayList<>(launch.command());
        full.addAll(cached.arguments());
        return full;
    }

    /** SIGKILL, as a crash would; returns once the process is gone. */
    public synchronized void kill() {
        if (process != null) {
            boolean wasRunning = process.isAlive();
            // A training JVM assembles its cache in a child JVM: that one goes too, and its half-written file.
            List<ProcessHandle> children = process.descendants().toList();
            Signals.kill(process);
            children.forEach(Signals::kill);
            if (wasRunning) {
                discardUnfinishedCache();
            }
        }
        deletePidFile();
    }

    /**
     * SIGTERM, then SIGKILL if it has not exited within the stop grace (the training grace if this start writes
     * the start-up cache at exit). Idempotent.
     */
    public synchronized void stop() {
        if (process != null && Signals.isRunning(process.toHandle())) {
            boolean training = isTraining();
            process.destroy();
            if (!Signals.awaitExit(process.toHandle(), training ? trainingStopGrace : stopGrace)) {
                // Listed only now: a training JVM forks the child that assembles its cache after SIGTERM.
                List<ProcessHandle> children = process.descendants().toList();
                Signals.kill(process);
                children.forEach(Signals::kill);
                discardUnfinishedCache();
            }
        }
        if (process != null) {
            Signals.kill(process); // gone already: returns once the JDK has reaped it
        }
        deletePidFile();
    }

    /** True if the current start writes its start-up cache when it exits. */
    public boolean isTraining() {
        return launch != null && launch.training();
    }

    /** The start-up cache the current start reads or writes, if its JDK has one. */
    public Optional<Path> startupCache() {
        return launch == null ? Optional.empty() : launch.cacheFile();
    }

    private void discardUnfinishedCache() {
        if (isTraining()) {
            launch.cacheFile().ifPresent(file -> {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    throw new StackException(name + ": cannot delete the unfinished start-up cache " + file, e);
                }
            });
        }
    }

    /** {@link #stop()} if running, then {@link #start()} with the same command, environment and port. */
    public synchronized ServiceProcess restart() {
        stop();
        return start();
    }

    /**
     * {@link #restart()} with {@code overrides} on top of the service's environment (replacing earlier overrides;
     * empty: back to its own environment), e.g. a test that runs some services with a model configured.
     */
    public synchronized ServiceProcess restart(Map<String, String> overrides) {
        stop();
        this.overrides = Map.copyOf(overrides);
        return start();
    }

    @Override
    public void close() {
        stop();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Pid of the current (or last) process. */
    public long pid() {
        if (process == null) {
            throw new IllegalStateException(name + " not started");
        }
        return process.pid();
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>} */
    public String url() {
        return "http://" + Ports.HOST + ":" + port;
    }

    public Path logFile() {
        return logFile;
    }

    public Map<String, String> environment() {
        Map<String, String> all = new java.util.HashMap<>(environment);
        all.putAll(overrides);
        return Map.copyOf(all);
    }

    private void awaitReady() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url() + READY_PATH))
                .timeout(Duration.ofSeconds(2))
                .GET()
                .build();
        long deadline = System.nanoTime() + readyTimeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                throw new StackException(name + " exited with code " + process.exitValue() + " while starting; "
                        + LogFiles.describe(logFile));
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = "HTTP " + response.statusCode() + " " + abbreviate(response.body());
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted while waiting for " + name, e);
            }
            Signals.sleep(POLL);
        }
        throw new StackException(name + " was not ready at " + url() + READY_PATH + " within "
                + readyTimeout.toSeconds() + " s (last: " + last + "); " + LogFiles.describe(logFile));
    }

    private void deletePidFile() {
        if (pidFile != null) {
            pidFile.delete();
        }
    }

    private static String abbreviate(String body) {
        String oneLine = body.replaceAll("\\s+", " ").trim();
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "…" : oneLine;
    }
}
