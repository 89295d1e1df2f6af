package dev.backendteam.stack.cli;

import dev.backendteam.stack.Leftover;
import dev.backendteam.stack.LocalStack;
import dev.backendteam.stack.StackConfig;
import dev.backendteam.stack.StackException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code ./backend-team}: runs a job file on a local stack (PostgreSQL, Kafka and the five services as processes,
 * {@link LocalStack}), or keeps the stack up for curl and browser use. help.txt, next to this class, is the manual.
 * The script sets {@code backend-team.root} (the repository) and {@code backend-team.interactive} (stdin is a
 * terminal).
 */
public final class Launcher {
    static final int EXIT_OK = 0;
    /** run: the job failed or was cancelled; status: some component is not running or not ready. */
    static final int EXIT_JOB_FAILED = 1;
    static final int EXIT_USAGE = 2;
    /** run: the job asks a question nobody can answer here; status: nothing runs. */
    static final int EXIT_NEEDS_INPUT = 3;
    static final int EXIT_STACK = 4;
    /** The JVM's own code for SIGINT. */
    static final int EXIT_INTERRUPTED = 130;
    static final String HELP = "help.txt";
    /**
     * Set by the script while this JVM writes the launcher's class-data archive at exit
     * ({@code -XX:ArchiveClassesAtExit}): the archive's path.
     */
    static final String ARCHIVE_PROPERTY = "backend-team.launcher-archive";
    /** Next to an archive in the making: the command did its work, so the archive holds the classes worth keeping. */
    static final String TRAINED_SUFFIX = ".trained";

    private static final Duration CANCEL_TIMEOUT = Duration.ofSeconds(3);
    /** Said when a stop waits for the JVMs to write the start-up caches they trained. */
    static final String TRAINING_STOP = "\n  the JVMs write the start-up caches they trained as they stop (this once: 10–60 s;"
            + " later starts read them)";
    /** How long a Ctrl-C during start-up keeps stopping leftovers: more than a service's stop grace. */
    private static final Duration SWEEP_LIMIT = Duration.ofSeconds(90);

    private final Path root;
    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean ownsJvm;
    /** Set by the shutdown hooks (Ctrl-C): from then on the main thread's failures are consequences, not news. */
    private final AtomicBoolean interrupted = new AtomicBoolean();

    /** @param ownsJvm this is the launcher's own JVM: it may set up logging (not in tests) */
    Launcher(Path root, Map<String, String> env, PrintStream out, PrintStream err, boolean ownsJvm) {
        this.root = root;
        this.env = env;
        this.out = out;
        this.err = err;
        this.ownsJvm = ownsJvm;
    }

    public static void main(String[] args) {
        Path root = Path.of(System.getProperty("backend-team.root", "")).toAbsolutePath().normalize();
        int code = new Launcher(root, System.getenv(), System.out, System.err, true).execute(Arrays.asList(args));
        markTrained(System.getProperty(ARCHIVE_PROPERTY), code);
        System.out.flush();
        System.exit(code);
    }

    /**
     * Marks the archive this JVM writes at exit as one to keep, when the command did its work: a stack started or
     * reported, a job run to its end. A usage error, a failed start or Ctrl-C loaded only part of the classes, and
     * the script drops such an archive, so that the next {@code up} or {@code run} trains again.
     */
    static void markTrained(String archive, int code) {
        if (archive == null || archive.isBlank()
                || (code != EXIT_OK && code != EXIT_JOB_FAILED && code != EXIT_NEEDS_INPUT)) {
            return;
        }
        try {
            Files.writeString(Path.of(archive + TRAINED_SUFFIX), "exit " + code + "\n");
        } catch (IOException | RuntimeException e) {
            // no marker, no archive kept: the next up or run trains again
        }
    }

    int execute(List<String> args) {
        CommandLine commandLine;
        try {
            commandLine = CommandLine.parse(args, env, root, Path.of("").toAbsolutePath());
        } catch (CommandLine.UsageException e) {
            err.println("backend-team: " + e.getMessage());
            err.println("./backend-team --help lists the commands and options");
            return EXIT_USAGE;
        }
        if (ownsJvm) {
            configureLogging(commandLine.stateDirectory());
        }
        try {
            return switch (commandLine.command()) {
                case HELP -> help();
                case RUN -> run(commandLine);
                case UP -> up(commandLine);
                case DOWN -> down(commandLine);
                case STATUS -> status(commandLine);
                case LOGS -> LogCommand.run(commandLine.stateDirectory(), commandLine.operands().get(0),
                        commandLine.follow(), out, err);
            };
        } catch (CommandLine.UsageException | JobFile.JobFileException e) {
            return fail(e, EXIT_USAGE);
        } catch (GatewayException e) {
            return fail(e, e.isClientError() ? EXIT_USAGE : EXIT_STACK);
        } catch (StackException | IOException | UncheckedIOException e) {
            return fail(e, EXIT_STACK);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_INTERRUPTED;
        }
    }

    /** Reports the failure in one line (no stack trace), unless Ctrl-C caused it: then the hook is speaking. */
    private int fail(Exception e, int code) {
        if (interrupted.get()) {
            return EXIT_INTERRUPTED;
        }
        err.println("backend-team: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
        return code;
    }

    private int help() throws IOException {
        try (InputStream in = Launcher.class.getResourceAsStream(HELP)) {
            if (in == null) {
                throw new IOException(HELP + " is missing from the launcher's classpath");
            }
            out.print(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        return EXIT_OK;
    }

    private int run(CommandLine commandLine) throws IOException {
        JobFile job = JobFile.read(Path.of(commandLine.operands().get(0)).toAbsolutePath().normalize());
        if (commandLine.filesFolder() != null) {
            ProjectFiles.Collected project = ProjectFiles.collect(commandLine.filesFolder());
            err.println("attached " + project.files().size() + " project file(s), " + project.bytes() / 1024
                    + " KB, from " + display(commandLine.filesFolder()) + (project.skipped().isEmpty() ? ""
                    : "; left out: " + ProjectFiles.shown(project.skipped()))
                    + (project.masked().isEmpty() ? "" : "; masked: " + ProjectFiles.shown(project.masked())));
            job = job.withFiles(project.files());
        }
        Path state = commandLine.stateDirectory();
        StackProbe.Probe probe = StackProbe.probe(state);
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if (probe.anyRunning()) {
            if (!probe.allReady()) {
                return refuseLeftovers(probe);
            }
            String gateway = probe.gatewayUrl().orElseThrow();
            err.println("using the stack that is already up from " + display(state) + " (gateway " + gateway
                    + "); it stays up (./backend-team down stops it)");
            JobRunner runner = new JobRunner(new GatewayClient(gateway, apiKey()), out, err, stdin, interactive(),
                    interrupted::get);
            Thread hook = new Thread(() -> {
                interrupted.set(true);
                runner.cancelUnfinished(CANCEL_TIMEOUT);
            }, "launcher-cancel");
            if (!addHook(hook)) {
                return EXIT_INTERRUPTED;
            }
            try {
                return runner.run(job, commandLine.outDirectory(), root, true).exitCode;
            } finally {
                removeHook(hook);
            }
        }

        Instant begin = Instant.now();
        LocalStack stack = start(commandLine);
        if (interrupted.get()) {
            return EXIT_INTERRUPTED; // Ctrl-C came as the stack became ready: the start-up hook stops it
        }
        JobRunner runner = new JobRunner(new GatewayClient(stack.gatewayUrl(), apiKey()), out, err, stdin,
                interactive(), interrupted::get);
        AtomicBoolean done = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            if (done.compareAndSet(false, true)) {
                interrupted.set(true);
                err.println();
                // No point cancelling the job: LocalStack's own hook is already stopping the gateway.
                err.println("interrupted: stopping the stack …");
                stopQuietly(stack);
            }
        }, "launcher-stop");
        if (!addHook(hook)) {
            return EXIT_INTERRUPTED; // Ctrl-C came as the stack became ready: the start-up hook stops it
        }
        try {
            return runner.run(job, commandLine.outDirectory(), root, false).exitCode;
        } finally {
            if (done.compareAndSet(false, true)) {
                removeHook(hook);
                stop(stack, begin);
            }
        }
    }

    /**
     * Starts the stack. On Ctrl-C meanwhile, LocalStack's own hook stops what it has started; this hook also
     * interrupts the starting thread (so that it launches nothing more) and then stops whatever the pid files still
     * name once it has given up, so that no process started in the race escapes.
     */
    private LocalStack start(CommandLine commandLine) {
        Thread starter = Thread.currentThread();
        Path state = commandLine.stateDirectory();
        AtomicBoolean starting = new AtomicBoolean(true);
        Thread hook = new Thread(() -> {
            interrupted.set(true);
            err.println();
            err.println("interrupted while starting: stopping what was started …");
            starter.interrupt();
            long deadline = System.nanoTime() + SWEEP_LIMIT.toNanos();
            while (System.nanoTime() < deadline && (starting.get() || !LocalStack.findLeftovers(state).isEmpty())) {
                if (!starting.get()) {
                    LocalStack.stopLeftovers(state);
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "launcher-start-interrupted");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return new StackStarter(root, commandLine, env, err).start();
        } finally {
            starting.set(false);
            removeHook(hook);
        }
    }

    private void stop(LocalStack stack, Instant begin) {
        Instant stopping = Instant.now();
        boolean training = stack.services().stream().anyMatch(s -> s.isTraining() && s.isAlive());
        err.println("stopping the stack …" + (training ? TRAINING_STOP : ""));
        stack.close();
        err.println("stack stopped in " + ProgressFormatter.seconds(Duration.between(stopping, Instant.now()))
                + " (whole run " + ProgressFormatter.seconds(Duration.between(begin, Instant.now())) + ")");
    }

    private void stopQuietly(LocalStack stack) {
        try {
            stack.close();
            err.println("stack stopped");
        } catch (RuntimeException e) {
            err.println("stopping the stack failed: " + e.getMessage() + "; ./backend-team down stops what is left");
        }
    }

    private int up(CommandLine commandLine) {
        Path state = commandLine.stateDirectory();
        StackProbe.Probe probe = StackProbe.probe(state);
        if (probe.anyRunning()) {
            if (!probe.allReady()) {
                return refuseLeftovers(probe);
            }
            out.println("backend-team is already up (started "
                    + probe.state().startedAt().truncatedTo(ChronoUnit.SECONDS) + " from " + display(state)
                    + "); not starting a second one.");
            printAddresses(probe.gatewayUrl().orElseThrow(), probe.state().bootstrapServers(),
                    probe.state().jdbcUrl(), state);
            return EXIT_OK;
        }
        LocalStack stack = start(commandLine);
        if (interrupted.get()) {
            return EXIT_INTERRUPTED;
        }
        stack.detach();
        out.println("backend-team is up; it keeps running after this command.");
        printAddresses(stack.gatewayUrl(), stack.bootstrapServers(), stack.jdbcUrl(), state);
        return EXIT_OK;
    }

    private void printAddresses(String gateway, String kafka, String jdbc, Path state) {
        out.println("  gateway     " + gateway + "   (POST /jobs, GET /jobs/{id}, …)");
        out.println("  Swagger UI  " + gateway + "/q/swagger-ui");
        out.println("  OpenAPI     " + gateway + "/q/openapi");
        out.println("  Kafka       " + kafka);
        out.println("  PostgreSQL  " + jdbc + " (user " + dev.backendteam.stack.PostgresServer.USERNAME + ")");
        out.println("  logs        ./backend-team logs <component> [-f]   (" + display(state.resolve("logs")) + ")");
        out.println("Run a job on it:  ./backend-team run deploy/examples/bug.json");
        out.println("Status:           ./backend-team status");
        out.println("Stop it:          ./backend-team down" + stateOption(state));
    }

    private int refuseLeftovers(StackProbe.Probe probe) {
        Path state = probe.stateDirectory();
        List<Leftover> leftovers = LocalStack.findLeftovers(state);
        err.println("backend-team: processes of an earlier start from " + display(state)
                + " are still running, but not as a whole, ready stack:");
        leftovers.forEach(l -> err.println("  " + l.component() + " (pid " + l.pid() + ")"));
        probe.components().stream().filter(c -> !c.healthy())
                .forEach(c -> err.println("  " + c.name() + ": " + c.health()));
        err.println("./backend-team down" + stateOption(state) + " stops them; then start again.");
        return EXIT_STACK;
    }

    private int down(CommandLine commandLine) {
        Path state = commandLine.stateDirectory();
        List<Leftover> running = LocalStack.findLeftovers(state);
        if (running.isEmpty()) {
            out.println("nothing is running from " + display(state));
            LocalStack.stopLeftovers(state);
            return EXIT_OK;
        }
        Instant begin = Instant.now();
        out.println("stopping " + running.size() + " process" + (running.size() == 1 ? "" : "es") + " started from "
                + display(state) + " …" + (LocalStack.anyTraining(running) ? TRAINING_STOP : ""));
        List<Leftover> stopped = LocalStack.stopLeftovers(state);
        stopped.forEach(l -> out.println("  stopped " + l.component() + " (pid " + l.pid() + ")"));
        List<Leftover> still = LocalStack.findLeftovers(state);
        if (!still.isEmpty()) {
            err.println("still running: " + still);
            return EXIT_STACK;
        }
        out.println("stopped in " + ProgressFormatter.seconds(Duration.between(begin, Instant.now())));
        return EXIT_OK;
    }

    private int status(CommandLine commandLine) {
        Path state = commandLine.stateDirectory();
        StackProbe.Probe probe = StackProbe.probe(state);
        if (!probe.anyRunning()) {
            out.println("nothing is running from " + display(state) + " (./backend-team up starts the stack)");
            return EXIT_NEEDS_INPUT;
        }
        out.println("stack from " + display(state) + (probe.state() == null ? ""
                : ", started " + probe.state().startedAt().truncatedTo(ChronoUnit.SECONDS)));
        for (StackProbe.Component c : probe.components()) {
            out.printf("  %-28s %-11s %-11s %s%n", c.name(), c.pid() == null ? "-" : "pid " + c.pid(),
                    c.port() == null ? "" : "port " + c.port(), c.health());
        }
        if (probe.state() != null && probe.state().gatewayUrl() != null) {
            out.println("gateway " + probe.state().gatewayUrl() + " · Swagger UI " + probe.state().gatewayUrl()
                    + "/q/swagger-ui · Kafka " + probe.state().bootstrapServers());
        }
        return probe.allReady() ? EXIT_OK : EXIT_JOB_FAILED;
    }

    /** The first key of BACKEND_TEAM_API_KEYS ({@code name:key,…} or bare keys), or null without keys. */
    static String firstApiKey(String setting) {
        if (setting == null) {
            return null;
        }
        for (String entry : setting.split(",")) {
            String e = entry.trim();
            if (!e.isEmpty()) {
                int colon = e.indexOf(':');
                return colon > 0 ? e.substring(colon + 1).trim() : e;
            }
        }
        return null;
    }

    private String apiKey() {
        return firstApiKey(env.get(StackStarter.API_KEYS));
    }

    private static boolean interactive() {
        String flag = System.getProperty("backend-team.interactive");
        return flag != null ? Boolean.parseBoolean(flag) : System.console() != null;
    }

    private String stateOption(Path state) {
        return state.equals(root.resolve(StackConfig.STATE_FOLDER)) ? "" : " --state " + display(state);
    }

    /** A path as the user would type it: relative to the working directory when inside it. */
    static String display(Path path) {
        Path cwd = Path.of("").toAbsolutePath();
        Path p = path.toAbsolutePath().normalize();
        return p.startsWith(cwd) && !p.equals(cwd) ? cwd.relativize(p).toString() : p.toString();
    }

    /**
     * The launcher's own library logging (the Kafka admin client polling the broker, zonky) goes to
     * {@code <state>/logs/launcher.log}, not the terminal; LocalStack's warnings stay on stderr, one line each.
     */
    private static void configureLogging(Path state) {
        System.setProperty("backend-team.launcher.log", LogCommand.logFile(state, LogCommand.LAUNCHER).toString());
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "dev/backendteam/stack/cli/launcher-log4j2.properties");
        }
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s: %5$s%6$s%n");
        }
    }

    /** False if the JVM is already shutting down. */
    private static boolean addHook(Thread hook) {
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            return true;
        } catch (IllegalStateException shuttingDown) {
            return false;
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException exiting) {
            // The JVM is already exiting; the hook runs or has run.
        }
    }
}
