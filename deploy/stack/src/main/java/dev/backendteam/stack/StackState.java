package dev.backendteam.stack;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code <state>/stack.properties}: where the last stack started from this state folder listens. Read by a later
 * run (to reuse its ports) and by a launcher's {@code status}; whether it still runs is for the pid files to say.
 */
public record StackState(Instant startedAt, String gatewayUrl, String bootstrapServers, String jdbcUrl,
                         int postgresPort, int kafkaPort, int kafkaControllerPort, Map<String, Integer> servicePorts) {
    public static final String FILE = "stack.properties";

    public StackState {
        servicePorts = Map.copyOf(servicePorts);
    }

    public static Optional<StackState> read(Path stateDirectory) {
        Path file = stateDirectory.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
            Map<String, Integer> services = new LinkedHashMap<>();
            for (String key : p.stringPropertyNames()) {
                if (key.startsWith("service.") && key.endsWith(".port")) {
                    services.put(key.substring("service.".length(), key.length() - ".port".length()),
                            Integer.parseInt(p.getProperty(key)));
                }
            }
            return Optional.of(new StackState(Instant.parse(p.getProperty("started")), p.getProperty("gateway.url"),
                    p.getProperty("kafka.bootstrap.servers"), p.getProperty("postgres.jdbc.url"),
                    Integer.parseInt(p.getProperty("postgres.port")), Integer.parseInt(p.getProperty("kafka.port")),
                    Integer.parseInt(p.getProperty("kafka.controller.port")), services));
        } catch (IOException | RuntimeException e) {
            throw new StackException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public void write(Path stateDirectory) {
        Properties p = new Properties();
        p.setProperty("started", startedAt.toString());
        if (gatewayUrl != null) {
            p.setProperty("gateway.url", gatewayUrl);
        }
        p.setProperty("kafka.bootstrap.servers", bootstrapServers);
        p.setProperty("postgres.jdbc.url", jdbcUrl);
        p.setProperty("postgres.port", Integer.toString(postgresPort));
        p.setProperty("kafka.port", Integer.toString(kafkaPort));
        p.setProperty("kafka.controller.port", Integer.toString(kafkaControllerPort));
        servicePorts.forEach((service, port) -> p.setProperty("service." + service + ".port", Integer.toString(port)));
        Path file = stateDirectory.resolve(FILE);
        try {
            Files.createDirectories(stateDirectory);
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                p.store(out, "the local stack last started from this folder");
            }
        } catch (IOException e) {
            throw new StackException("cannot write " + file, e);
        }
    }
}
