package dev.backendteam.stack.cli;

import dev.backendteam.stack.LocalStack;
import dev.backendteam.stack.Ports;
import dev.backendteam.stack.ServiceJvm;
import dev.backendteam.stack.ServiceProcess;
import dev.backendteam.stack.StackConfig;
import dev.backendteam.stack.StackException;
import dev.backendteam.stack.StackState;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Starts the whole stack for {@code run} and {@code up}: the ports the user chose (taken ones refused up front, with
 * the option that changes them), the API keys passed through, and a line per component as it becomes ready, since
 * five JVMs starting on a small machine take a while.
 */
final class StackStarter {
    static final String API_KEYS = "BACKEND_TEAM_API_KEYS";
    private static final Duration POLL = Duration.ofMillis(500);

    private final Path root;
    private final CommandLine commandLine;
    private final Map<String, String> env;
    private final PrintStream log;

    StackStarter(Path root, CommandLine commandLine, Map<String, String> env, PrintStream log) {
        this.root = root;
        this.commandLine = commandLine;
        this.env = env;
        this.log = log;
    }

    StackConfig config() {
        StackConfig.Builder builder = StackConfig.builder(root).stateDirectory(commandLine.stateDirectory())
                .startupTimeout(Duration.ofSeconds(180)).serviceJvm(ServiceJvm.fromEnvironment(env));
        Map<String, Integer> ports = commandLine.ports();
        for (String service : StackConfig.ALL_SERVICES) {
            if (ports.containsKey(service)) {
                builder.servicePort(service, ports.get(service));
            }
        }
        builder.postgresPort(ports.getOrDefault(CommandLine.POSTGRES, 0));
        builder.kafkaPorts(ports.getOrDefault(CommandLine.KAFKA, 0),
                ports.getOrDefault(CommandLine.KAFKA_CONTROLLER, 0));
        commandLine.replicas().forEach(builder::replicas);
        String keys = env.get(API_KEYS);
        if (keys != null && !keys.isBlank()) {
            builder.environment(StackConfig.ORCHESTRATOR, API_KEYS, keys);
        }
        return builder.build();
    }

    /**
     * Every configured (non-zero) port is given once and is free, or a {@link StackException} says which are not
     * and which option changes them.
     */
    static void requireFreePorts(StackConfig config) {
        Map<String, Integer> wanted = new LinkedHashMap<>();
        config.services().forEach(service -> wanted.put(service, config.servicePort(service)));
        wanted.put(CommandLine.POSTGRES, config.postgresPort());
        wanted.put(CommandLine.KAFKA, config.kafkaPort());
        wanted.put(CommandLine.KAFKA_CONTROLLER, config.kafkaControllerPort());
        Map<Integer, String> owners = new LinkedHashMap<>();
        List<String> taken = new ArrayList<>();
        wanted.forEach((component, port) -> {
            if (port == 0) {
                return;
            }
            String other = owners.putIfAbsent(port, component);
            if (other != null) {
                throw new StackException("port " + port + " is configured for both " + other + " and " + component
                        + "; give one of them another port (--port, --ports)");
            }
            if (!Ports.isFree(port)) {
                taken.add(port + " (" + component + (component.equals(StackConfig.ORCHESTRATOR) ? ", the gateway" : "")
                        + ")");
            }
        });
        if (!taken.isEmpty()) {
            throw new StackException((taken.size() == 1 ? "port " + taken.get(0) + " is" : "ports "
                    + String.join(", ", taken) + " are") + " already in use on " + Ports.HOST + "."
                    + System.lineSeparator() + "Stop what listens there, or choose other ports: --port 9080 (the"
                    + " gateway; the specialists follow on 9081-9084), --ports <component>=<port>,… for one"
                    + " component, or --port 0 for any free ports.");
        }
    }

    /** Starts everything, printing progress; on failure everything started is stopped again (LocalStack does). */
    LocalStack start() {
        StackConfig config = config();
        requireFreePorts(config);
        Instant begin = Instant.now();
        log.println("starting PostgreSQL, Kafka and " + config.services().size() + " services on " + Ports.HOST
                + " (logs in " + Launcher.display(config.stateDirectory().resolve("logs")) + ") …");
        ReadinessWatch watch = new ReadinessWatch(config, begin);
        watch.start();
        LocalStack stack;
        try {
            stack = LocalStack.start(config);
        } finally {
            watch.interrupt();
            try {
                watch.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // The last services are often ready before the watch looked again: they are ready now, say so.
        watch.remaining().forEach(service -> watch.say(service + " ready on port "
                + stack.service(service).port()));
        log.println("stack ready in " + ProgressFormatter.seconds(Duration.between(begin, Instant.now()))
                + ": gateway " + stack.gatewayUrl());
        return stack;
    }

    /** Prints a line as PostgreSQL and Kafka, then each service, become ready; stops when interrupted. */
    private final class ReadinessWatch extends Thread {
        private final StackConfig config;
        private final Instant begin;
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1)).build();
        /** Services not reported ready yet (guarded by itself). */
        private final Set<String> waiting;

        ReadinessWatch(StackConfig config, Instant begin) {
            super("stack-readiness-watch");
            setDaemon(true);
            this.config = config;
            this.begin = begin;
            this.waiting = new LinkedHashSet<>(config.services());
        }

        List<String> remaining() {
            synchronized (waiting) {
                return List.copyOf(waiting);
            }
        }

        @Override
        public void run() {
            StackState state = null;
            try {
                while (!isInterrupted() && !remaining().isEmpty()) {
                    Thread.sleep(POLL.toMillis());
                    if (state == null) {
                        state = freshState();
                        if (state != null) {
                            say("PostgreSQL on port " + state.postgresPort() + " and Kafka on "
                                    + state.bootstrapServers() + " ready");
                        }
                        continue;
                    }
                    for (String service : remaining()) {
                        Integer port = state.servicePorts().get(service);
                        if (port != null && ready(port) && !isInterrupted()) {
                            synchronized (waiting) {
                                waiting.remove(service);
                            }
                            say(service + " ready on port " + port);
                        }
                    }
                }
            } catch (InterruptedException stop) {
                // LocalStack.start returned (or failed): nothing more to report.
            }
        }

        private StackState freshState() {
            try {
                return StackState.read(config.stateDirectory()).filter(s -> !s.startedAt().isBefore(begin))
                        .orElse(null);
            } catch (StackException halfWritten) {
                return null;
            }
        }

        private boolean ready(int port) throws InterruptedException {
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://" + Ports.HOST + ":" + port
                                + ServiceProcess.READY_PATH)).timeout(Duration.ofSeconds(1)).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (java.io.IOException e) {
                return false;
            }
        }

        void say(String what) {
            log.printf(Locale.ROOT, "  %6.1fs  %s%n", Duration.between(begin, Instant.now()).toMillis() / 1000.0,
                    what);
        }
    }
}
