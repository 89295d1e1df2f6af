package dev.backendteam.stack.cli;

import dev.backendteam.stack.PidFile;
import dev.backendteam.stack.Ports;
import dev.backendteam.stack.ServiceProcess;
import dev.backendteam.stack.StackConfig;
import dev.backendteam.stack.StackException;
import dev.backendteam.stack.StackState;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What runs from a state folder, from any JVM: the pid files say which processes live, {@code stack.properties}
 * on which ports; each service is asked {@code /q/health/ready}, PostgreSQL and Kafka whether they accept a
 * connection.
 */
public final class StackProbe {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    /**
     * @param pid    null if no live process is recorded
     * @param port   null if unknown (no stack.properties)
     * @param health "ready", "not ready (HTTP 503)", "listening", "stopped", …
     */
    public record Component(String name, Long pid, Integer port, String health, boolean healthy) {
        public boolean running() {
            return pid != null;
        }
    }

    /** @param state null if no stack ever started from this folder (or its stack.properties is unreadable) */
    public record Probe(Path stateDirectory, StackState state, List<Component> components) {
        public boolean anyRunning() {
            return components.stream().anyMatch(Component::running);
        }

        /** Everything recorded runs and is healthy, and there is a gateway. */
        public boolean allReady() {
            return state != null && state.gatewayUrl() != null && !components.isEmpty()
                    && components.stream().allMatch(Component::healthy);
        }

        public Optional<String> gatewayUrl() {
            return Optional.ofNullable(state).map(StackState::gatewayUrl);
        }
    }

    private StackProbe() {
    }

    public static Probe probe(Path stateDirectory) {
        StackState state;
        try {
            state = StackState.read(stateDirectory).orElse(null);
        } catch (StackException unreadable) {
            state = null;
        }
        Map<String, Integer> ports = new LinkedHashMap<>();
        if (state != null) {
            ports.put(CommandLine.POSTGRES, state.postgresPort());
            ports.put(CommandLine.KAFKA, state.kafkaPort());
            for (String service : StackConfig.ALL_SERVICES) {
                if (state.servicePorts().containsKey(service)) {
                    ports.put(service, state.servicePorts().get(service));
                }
            }
            state.servicePorts().forEach(ports::putIfAbsent);
        }
        Map<String, Long> pids = new LinkedHashMap<>();
        for (PidFile file : PidFile.all(stateDirectory)) {
            try {
                file.liveProcess().ifPresent(p -> pids.put(file.component(), p.pid()));
            } catch (StackException unreadable) {
                // A pid file being rewritten right now: the next probe sees it.
            }
            ports.putIfAbsent(file.component(), null);
        }

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
        Map<String, CompletableFuture<Component>> checks = new LinkedHashMap<>();
        ports.forEach((name, port) -> {
            Long pid = pids.get(name);
            checks.put(name, pid == null ? CompletableFuture.completedFuture(new Component(name, null, port, "stopped",
                    false)) : check(http, name, pid, port));
        });
        List<Component> components = new ArrayList<>();
        checks.values().forEach(f -> components.add(f.join()));
        return new Probe(stateDirectory, state, components);
    }

    private static CompletableFuture<Component> check(HttpClient http, String name, long pid, Integer port) {
        if (port == null) {
            return CompletableFuture.completedFuture(new Component(name, pid, null, "running (port unknown)", true));
        }
        if (name.equals(CommandLine.POSTGRES) || name.equals(CommandLine.KAFKA)) {
            return CompletableFuture.supplyAsync(() -> accepts(port)
                    ? new Component(name, pid, port, "accepting connections", true)
                    : new Component(name, pid, port, "running, not accepting connections", false));
        }
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://" + Ports.HOST + ":" + port
                + ServiceProcess.READY_PATH)).timeout(TIMEOUT).GET().build();
        return http.sendAsync(ready, HttpResponse.BodyHandlers.discarding())
                .thenApply(r -> r.statusCode() == 200 ? new Component(name, pid, port, "ready", true)
                        : new Component(name, pid, port, "not ready (HTTP " + r.statusCode() + ")", false))
                .exceptionally(e -> new Component(name, pid, port, "running, no answer on " + ServiceProcess.READY_PATH,
                        false));
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(Ports.HOST, port), (int) TIMEOUT.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
