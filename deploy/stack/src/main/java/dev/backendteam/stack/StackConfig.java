package dev.backendteam.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link LocalStack} starts and where. A port of 0 means "any free port" (the one used last time, recorded in
 * {@code stack.properties}, is preferred so that URLs and the Kafka log dir survive a restart).
 *
 * @param projectRoot        the repository folder; service jars are {@code <root>/<service>/target/quarkus-app/quarkus-run.jar}
 * @param stateDirectory     pid files, logs and data; default {@code <root>/.backend-team}
 * @param services           which services to start, in start order
 * @param servicePorts       port per service
 * @param environment        extra environment for every service
 * @param serviceEnvironment extra environment per service (wins over {@code environment})
 * @param brokerClasspath    classpath of the Kafka broker process; default this JVM's {@code java.class.path}
 * @param postgresBinaries   where zonky extracts PostgreSQL; default {@code <state>/cache/postgres}
 * @param stopLeftovers      stop processes of an earlier run that died instead of refusing to start
 * @param kafkaSaslMechanism null: a plaintext broker; else the broker's only client listener is SASL_SSL with this
 *                           mechanism (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512), and the services get its truststore and
 *                           credentials as {@code KAFKA_*} variables ({@link KafkaBroker#withSaslSsl})
 * @param serviceJvm         the JDK the services run on and whether they use a start-up cache ({@link ServiceJvm})
 */
public record StackConfig(
        Path projectRoot,
        Path stateDirectory,
        List<String> services,
        Map<String, Integer> servicePorts,
        int postgresPort,
        int kafkaPort,
        int kafkaControllerPort,
        Map<String, String> environment,
        Map<String, Map<String, String>> serviceEnvironment,
        String brokerClasspath,
        Path postgresBinaries,
        Duration startupTimeout,
        boolean stopLeftovers,
        String kafkaSaslMechanism,
        ServiceJvm serviceJvm) {

    public static final String ORCHESTRATOR = "orchestrator";
    public static final String OPS = "specialist-ops";
    public static final String DB_ARCHITECT = "specialist-db-architect";
    public static final List<String> ALL_SERVICES = List.of(ORCHESTRATOR, DB_ARCHITECT,
            "specialist-security", "specialist-query-optimizer", OPS);
    /** The documented ports: the gateway (orchestrator) on 8080, the specialists after it. */
    public static final Map<String, Integer> DEFAULT_PORTS = Map.of(ORCHESTRATOR, 8080,
            "specialist-db-architect", 8081, "specialist-security", 8082, "specialist-query-optimizer", 8083,
            "specialist-ops", 8084);
    public static final String STATE_FOLDER = ".backend-team";
    private static final java.util.regex.Pattern REPLICA = java.util.regex.Pattern.compile("(.+)-([2-9]|[1-9][0-9])");

    public StackConfig {
        Objects.requireNonNull(projectRoot, "projectRoot");
        Objects.requireNonNull(stateDirectory, "stateDirectory");
        services = List.copyOf(services);
        servicePorts = Map.copyOf(servicePorts);
        environment = Map.copyOf(environment);
        Map<String, Map<String, String>> perService = new LinkedHashMap<>();
        serviceEnvironment.forEach((service, env) -> perService.put(service, Map.copyOf(env)));
        serviceEnvironment = Map.copyOf(perService);
        Objects.requireNonNull(brokerClasspath, "brokerClasspath");
        Objects.requireNonNull(postgresBinaries, "postgresBinaries");
        Objects.requireNonNull(startupTimeout, "startupTimeout");
        Objects.requireNonNull(serviceJvm, "serviceJvm");
        for (String service : services) {
            if (!servicePorts.containsKey(service)) {
                throw new IllegalArgumentException("no port (0 for any) for service " + service);
            }
        }
    }

    /** Defaults: all five services on 8080–8084, PostgreSQL and Kafka on free ports, state in {@code <root>/.backend-team}. */
    public static Builder builder(Path projectRoot) {
        return new Builder(projectRoot);
    }

    /**
     * The module a service instance runs: {@code specialist-security-2}, the second replica, runs
     * {@code specialist-security}; any other name is its own module.
     */
    public static String moduleOf(String instance) {
        var m = REPLICA.matcher(instance);
        boolean replica = m.matches() && ALL_SERVICES.contains(m.group(1)) && !m.group(1).equals(ORCHESTRATOR);
        return replica ? m.group(1) : instance;
    }

    /** Whether this instance is a second (third…) replica of a module, which shares the first one's start-up cache. */
    public static boolean isReplica(String instance) {
        return !moduleOf(instance).equals(instance);
    }

    public int servicePort(String service) {
        return servicePorts.get(service);
    }

    /** The environment a service gets on top of what the stack sets itself. */
    public Map<String, String> environmentOf(String service) {
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.putAll(serviceEnvironment.getOrDefault(service, Map.of()));
        return env;
    }

    public static final class Builder {
        private final Path projectRoot;
        private Path stateDirectory;
        private final List<String> services = new ArrayList<>(ALL_SERVICES);
        private final Map<String, Integer> servicePorts = new LinkedHashMap<>(DEFAULT_PORTS);
        private int postgresPort;
        private int kafkaPort;
        private int kafkaControllerPort;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final Map<String, Map<String, String>> serviceEnvironment = new LinkedHashMap<>();
        private String brokerClasspath = System.getProperty("java.class.path");
        private Path postgresBinaries;
        private Duration startupTimeout = Duration.ofSeconds(120);
        private boolean stopLeftovers;
        private String kafkaSaslMechanism;
        private ServiceJvm serviceJvm = ServiceJvm.launcherDefault();

        private Builder(Path projectRoot) {
            this.projectRoot = projectRoot.toAbsolutePath().normalize();
        }

        public Builder stateDirectory(Path dir) {
            this.stateDirectory = dir.toAbsolutePath().normalize();
            return this;
        }

        /** Only these services (a subset of {@link #ALL_SERVICES} or other module names), in this order. */
        public Builder services(List<String> names) {
            services.clear();
            services.addAll(names);
            for (String name : names) {
                servicePorts.putIfAbsent(name, 0);
            }
            return this;
        }

        /**
         * {@code n} instances of a specialist in all: {@code <service>-2} … {@code <service>-n} start after it on free
         * ports, in the same consumer group, so they share its topic's partitions (the orchestrator creates
         * {@code BACKEND_TEAM_TOPICS_PARTITIONS}, 3 by default: more replicas than that would idle).
         */
        public Builder replicas(String service, int n) {
            if (!ALL_SERVICES.contains(service) || service.equals(ORCHESTRATOR)) {
                throw new IllegalArgumentException("replicas are for the specialists (" + String.join(", ",
                        ALL_SERVICES.subList(1, ALL_SERVICES.size())) + "), not " + service);
            }
            if (n < 1 || n > 9) {
                throw new IllegalArgumentException("replicas of " + service + " must be 1 to 9, got " + n);
            }
            services.removeIf(name -> !name.equals(service) && moduleOf(name).equals(service));
            int at = services.indexOf(service);
            if (at < 0) {
                throw new IllegalArgumentException(service + " is not among the services started");
            }
            for (int i = n; i >= 2; i--) {
                services.add(at + 1, service + "-" + i);
                servicePorts.putIfAbsent(service + "-" + i, 0);
            }
            return this;
        }

        public Builder servicePort(String service, int port) {
            servicePorts.put(service, port);
            return this;
        }

        public Builder postgresPort(int port) {
            this.postgresPort = port;
            return this;
        }

        public Builder kafkaPorts(int brokerPort, int controllerPort) {
            this.kafkaPort = brokerPort;
            this.kafkaControllerPort = controllerPort;
            return this;
        }

        /** Every port free (0), e.g. for tests that must not collide with a running stack. */
        public Builder freePorts() {
            servicePorts.replaceAll((service, port) -> 0);
            postgresPort = 0;
            kafkaPort = 0;
            kafkaControllerPort = 0;
            return this;
        }

        /** Extra environment for every service. */
        public Builder environment(String name, String value) {
            environment.put(name, value);
            return this;
        }

        /** Extra environment for one service. */
        public Builder environment(String service, String name, String value) {
            serviceEnvironment.computeIfAbsent(service, s -> new LinkedHashMap<>()).put(name, value);
            return this;
        }

        public Builder brokerClasspath(String classpath) {
            this.brokerClasspath = classpath;
            return this;
        }

        public Builder postgresBinaries(Path dir) {
            this.postgresBinaries = dir.toAbsolutePath().normalize();
            return this;
        }

        /** Bound for each component to become ready; default 120 s (five JVMs starting at once on two cores). */
        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = timeout;
            return this;
        }

        public Builder stopLeftovers(boolean stop) {
            this.stopLeftovers = stop;
            return this;
        }

        /** The broker's only client listener SASL_SSL with this mechanism (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512). */
        public Builder kafkaSaslSsl(String mechanism) {
            this.kafkaSaslMechanism = mechanism;
            return this;
        }

        /** The services' JDK and start-up cache; default this JVM's JDK, cache on. */
        public Builder serviceJvm(ServiceJvm jvm) {
            this.serviceJvm = jvm;
            return this;
        }

        public StackConfig build() {
            Path state = stateDirectory != null ? stateDirectory : projectRoot.resolve(STATE_FOLDER);
            Path binaries = postgresBinaries != null ? postgresBinaries : state.resolve("cache").resolve("postgres");
            return new StackConfig(projectRoot, state, services, servicePorts, postgresPort, kafkaPort,
                    kafkaControllerPort, environment, serviceEnvironment, brokerClasspath, binaries, startupTimeout,
                    stopLeftovers, kafkaSaslMechanism, serviceJvm);
        }
    }
}
