package dev.backendteam.stack;

import dev.backendteam.contract.KafkaSecurity;
import dev.backendteam.contract.MessageLimits;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A single-node KRaft Apache Kafka broker (combined broker and controller) as its own OS process,
 * {@code java -cp <classpath> kafka.Kafka server.properties}, listening on loopback only.
 *
 * <p>Layout under {@link #directory()}: {@code server.properties}, {@code log4j2.properties}, {@code data/} (the
 * log dir, formatted once with {@code kafka.tools.StorageTool format --standalone}), {@code tmp/}. The data survive
 * a restart as long as the controller port stays the same: the standalone voter set records the controller
 * endpoint, so a different controller port means a fresh format.
 *
 * <p>With {@link #withSaslSsl} the only client listener is SASL_SSL (PLAIN or SCRAM) on loopback, as on a managed
 * broker: a self-signed certificate for {@code ip:127.0.0.1} is made at each start with the JDK's keytool under
 * {@code tls/} (keystore, a PKCS12 truststore, the PEM certificate), and clients get what they need from
 * {@link #clientEnvironment()} (the services' {@code KAFKA_*} variables) or {@link #clientProperties()}. The controller
 * listener stays plaintext: it is not a client listener. SCRAM credentials live in the log dir's metadata, so a
 * change of them (each start makes fresh ones) formats the log dir afresh.
 */
public final class KafkaBroker implements AutoCloseable {
    public static final String COMPONENT = "kafka";
    /** The project's record limit ({@link MessageLimits#MAX_MESSAGE_BYTES}), also the broker's. */
    public static final int MESSAGE_MAX_BYTES = MessageLimits.MAX_MESSAGE_BYTES;
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xmx256m");

    private static final String MAIN_CLASS = "kafka.Kafka";
    private static final String STORAGE_TOOL = "kafka.tools.StorageTool";
    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final Duration TRAINING_STOP_GRACE = Duration.ofSeconds(180);
    /** The broker's own SASL user (inter-broker), beside the one client user. */
    private static final String BROKER_USER = "broker";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path directory;
    private final int port;
    private final int controllerPort;
    private final String classpath;
    private final Map<String, String> extraProperties = new LinkedHashMap<>();
    private List<String> jvmOptions = DEFAULT_JVM_OPTIONS;
    private Path logFile;
    private PidFile pidFile;
    private Duration startupTimeout = Duration.ofSeconds(60);
    private Sasl sasl;
    private ServiceJvm jvm;
    private Path cacheDirectory;
    private ServiceJvm.Launch launch;
    private Process process;

    /**
     * A SASL_SSL client listener's credentials: the client's user and the broker's own inter-broker user, and the
     * passwords of both and of the key and trust stores (random per {@link #withSaslSsl}).
     */
    private record Sasl(String mechanism, String username, String password, String brokerPassword,
            String storePassword) {
    }

    /** A broker on the given ports (0 = any free port) running on this JVM's {@code java.class.path}. */
    public KafkaBroker(Path directory, int port, int controllerPort) {
        this(directory, port, controllerPort, System.getProperty("java.class.path"));
    }

    /**
     * @param classpath for the broker process; it must hold kafka_2.13 and its dependencies plus a log4j2 binding.
     *                  A manifest-only jar (Maven Surefire's or Failsafe's booter jar) works, as {@code java -cp}
     *                  follows its {@code Class-Path}.
     */
    public KafkaBroker(Path directory, int port, int controllerPort, String classpath) {
        this.directory = directory.toAbsolutePath();
        List<Integer> free = port == 0 || controllerPort == 0 ? Ports.free(2) : List.of(port, controllerPort);
        this.port = port == 0 ? free.get(0) : port;
        this.controllerPort = controllerPort == 0 ? (free.get(1) == this.port ? free.get(0) : free.get(1)) : controllerPort;
        if (this.port == this.controllerPort) {
            throw new IllegalArgumentException("broker and controller need different ports, both are " + port);
        }
        this.classpath = Objects.requireNonNull(classpath, "classpath");
        this.logFile = this.directory.resolve("kafka.log");
    }

    /** JVM options of the broker process; default {@link #DEFAULT_JVM_OPTIONS}. */
    public KafkaBroker withJvmOptions(List<String> options) {
        this.jvmOptions = List.copyOf(options);
        return this;
    }

    /**
     * Runs the broker on that JDK with its memory options and start-up cache (in {@code cacheDirectory}) instead of
     * this JVM's JDK and {@link #withJvmOptions}; the storage format still runs on this JVM's JDK.
     */
    public KafkaBroker withJvm(ServiceJvm serviceJvm, Path cacheDirectory) {
        this.jvm = serviceJvm;
        this.cacheDirectory = cacheDirectory;
        return this;
    }

    /** An extra or overriding line of {@code server.properties}. */
    public KafkaBroker withProperty(String key, String value) {
        extraProperties.put(key, value);
        return this;
    }

    /**
     * Makes SASL_SSL the only client listener, for one client user with a fresh random password.
     *
     * @param mechanism {@code PLAIN}, {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512}
     */
    public KafkaBroker withSaslSsl(String mechanism, String username) {
        String m = mechanism.toUpperCase(Locale.ROOT);
        if (!List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512").contains(m)) {
            throw new IllegalArgumentException("SASL mechanism must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, got " + mechanism);
        }
        if (!username.matches("[A-Za-z0-9._-]+") || username.equals(BROKER_USER)) {
            throw new IllegalArgumentException("a SASL user name of letters, digits, . _ - (not " + BROKER_USER
                    + "), got " + username);
        }
        this.sasl = new Sasl(m, username, randomSecret(), randomSecret(), randomSecret());
        return this;
    }

    public boolean saslSsl() {
        return sasl != null;
    }

    /**
     * What a client of this broker sets, as the services' environment variables: {@code KAFKA_BOOTSTRAP_SERVERS},
     * and with SASL_SSL {@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_MECHANISM}, {@code _USERNAME},
     * {@code _PASSWORD} and the PKCS12 truststore ({@code KAFKA_SSL_TRUSTSTORE_LOCATION}, {@code _PASSWORD},
     * {@code _TYPE}), which exists once the broker started.
     */
    public Map<String, String> clientEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers());
        if (sasl != null) {
            env.put(KafkaSecurity.PROTOCOL, "SASL_SSL");
            env.put(KafkaSecurity.MECHANISM, sasl.mechanism());
            env.put(KafkaSecurity.USERNAME, sasl.username());
            env.put(KafkaSecurity.PASSWORD, sasl.password());
            env.put(KafkaSecurity.TRUSTSTORE_LOCATION, truststore().toString());
            env.put(KafkaSecurity.TRUSTSTORE_PASSWORD, sasl.storePassword());
            env.put(KafkaSecurity.TRUSTSTORE_TYPE, "PKCS12");
        }
        return env;
    }

    /** Kafka client properties for this broker: {@code bootstrap.servers} and, with SASL_SSL, its security. */
    public Map<String, Object> clientProperties() {
        Map<String, String> env = clientEnvironment();
        Map<String, Object> p = new LinkedHashMap<>(KafkaSecurity.fromEnvironment(env).clientProperties());
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return p;
    }

    /** The PKCS12 truststore holding the broker's self-signed certificate (SASL_SSL, once started). */
    public Path truststore() {
        return tlsDirectory().resolve("truststore.p12");
    }

    /** The broker's certificate as PEM text, for {@code KAFKA_SSL_TRUSTSTORE_CERTIFICATES} (SASL_SSL, once started). */
    public Path certificatePem() {
        return tlsDirectory().resolve("broker.pem");
    }

    /** Where the broker's stdout and stderr go (appended); default {@code <directory>/kafka.log}. */
    public KafkaBroker withLogFile(Path log) {
        this.logFile = log.toAbsolutePath();
        return this;
    }

    public KafkaBroker withPidFile(PidFile file) {
        this.pidFile = file;
        return this;
    }

    public KafkaBroker withStartupTimeout(Duration timeout) {
        this.startupTimeout = timeout;
        return this;
    }

    /** Formats the log dir if needed, starts the process and waits until an Admin client can describe the cluster. */
    public synchronized KafkaBroker start() {
        if (isAlive()) {
            throw new IllegalStateException("Kafka broker already running as pid " + process.pid());
        }
        Ports.requireFree(port, "the Kafka broker");
        Ports.requireFree(controllerPort, "the Kafka controller");
        if (sasl != null) {
            makeCertificate();
        }
        Path serverProperties = writeConfiguration();
        formatIfNeeded(serverProperties);

        LogFiles.marker(logFile, "kafka broker starting on " + bootstrapServers());
        List<String> command = serverCommand(serverProperties);
        try {
            process = new ProcessBuilder(Signals.inOwnSession(command))
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new StackException("cannot start the Kafka broker: " + e.getMessage(), e);
        }
        if (pidFile != null) {
            pidFile.write(process.toHandle());
        }
        try {
            awaitReady();
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
        return this;
    }

    /**
     * SIGTERM (a clean shutdown takes a second or two), SIGKILL after 10 s, or after 180 s if this start trains its
     * start-up cache, which the JVM writes at exit. Idempotent.
     */
    public synchronized void stop() {
        if (process != null) {
            boolean training = launch != null && launch.training() && process.isAlive();
            if (!Signals.terminate(process, training ? TRAINING_STOP_GRACE : STOP_GRACE) && training) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                launch.cacheFile().ifPresent(KafkaBroker::deleteUnfinished);
            }
        }
        if (pidFile != null) {
            pidFile.delete();
        }
    }

    @Override
    public void close() {
        stop();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public long pid() {
        if (process == null) {
            throw new IllegalStateException("Kafka broker not started");
        }
        return process.pid();
    }

    public String bootstrapServers() {
        return Ports.HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path directory() {
        return directory;
    }

    public Path logFile() {
        return logFile;
    }

    public String classpath() {
        return classpath;
    }

    /** The server.properties this broker runs with (before {@link #withProperty} overrides are applied last). */
    Map<String, String> serverProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.bootstrap.servers", Ports.HOST + ":" + controllerPort);
        String client = sasl == null ? "PLAINTEXT" : "SASL_SSL";
        p.put("listeners", client + "://" + Ports.HOST + ":" + port + ",CONTROLLER://" + Ports.HOST + ":" + controllerPort);
        p.put("advertised.listeners", client + "://" + Ports.HOST + ":" + port + ",CONTROLLER://" + Ports.HOST + ":" + controllerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", client);
        p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT," + client + ":" + client);
        if (sasl != null) {
            p.put("sasl.enabled.mechanisms", sasl.mechanism());
            p.put("sasl.mechanism.inter.broker.protocol", sasl.mechanism());
            p.put("listener.name.sasl_ssl." + sasl.mechanism().toLowerCase(Locale.ROOT) + ".sasl.jaas.config", brokerJaas());
            p.put("ssl.keystore.location", keystore().toString());
            p.put("ssl.keystore.password", sasl.storePassword());
            p.put("ssl.key.password", sasl.storePassword());
            p.put("ssl.keystore.type", "PKCS12");
            // the broker checks at start that a client of its own settings (inter-broker) trusts its certificate
            p.put("ssl.truststore.location", truststore().toString());
            p.put("ssl.truststore.password", sasl.storePassword());
            p.put("ssl.truststore.type", "PKCS12");
            p.put("ssl.client.auth", "none");
        }
        p.put("log.dirs", dataDirectory().toString());
        p.put("auto.create.topics.enable", "true");
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        // 50 partitions each (the defaults) cost seconds of startup on a small machine and buy nothing on one node.
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("message.max.bytes", Integer.toString(MESSAGE_MAX_BYTES));
        // A follower (none here, but keep it consistent) must be able to fetch the largest record.
        p.put("replica.fetch.max.bytes", Integer.toString(MESSAGE_MAX_BYTES));
        // The default 128 MB dedupe buffer would take half of a 256 MB heap for a few compacted internal topics.
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(32 * 1024 * 1024));
        p.putAll(extraProperties);
        return p;
    }

    private Path dataDirectory() {
        return directory.resolve("data");
    }

    private Path writeConfiguration() {
        try {
            Files.createDirectories(directory.resolve("tmp"));
            Files.createDirectories(logFile.getParent());
            Path server = directory.resolve("server.properties");
            StringBuilder text = new StringBuilder("# written by dev.backendteam.stack.KafkaBroker\n");
            serverProperties().forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
            Files.writeString(server, text, StandardCharsets.UTF_8);
            try (var in = KafkaBroker.class.getResourceAsStream("kafka-log4j2.properties")) {
                if (in == null) {
                    throw new StackException("kafka-log4j2.properties missing from the stack jar");
                }
                Files.write(directory.resolve("log4j2.properties"), in.readAllBytes());
            }
            return server;
        } catch (IOException e) {
            throw new StackException("cannot write the Kafka configuration in " + directory, e);
        }
    }

    private void formatIfNeeded(Path serverProperties) {
        Path formatRecord = directory.resolve("format.properties");
        Path meta = dataDirectory().resolve("meta.properties");
        if (Files.isRegularFile(meta) && Integer.toString(controllerPort).equals(readProperty(formatRecord, "controller.port"))
                && scramFingerprint().equals(Objects.requireNonNullElse(readProperty(formatRecord, "scram"), ""))) {
            return;
        }
        deleteRecursively(dataDirectory());
        // StorageTool random-uuid prints Uuid.randomUuid(); calling it here saves a JVM start.
        String clusterId = Uuid.randomUuid().toString();
        LogFiles.marker(logFile, "formatting " + dataDirectory() + " as cluster " + clusterId);
        List<String> command = javaCommand(STORAGE_TOOL, "format", "--standalone", "-t", clusterId,
                "-c", serverProperties.toString());
        if (sasl != null && sasl.mechanism().startsWith("SCRAM")) {
            // SCRAM users are metadata records: the broker's own and the client's, written with the format
            for (String[] user : new String[][] {{BROKER_USER, sasl.brokerPassword()}, {sasl.username(), sasl.password()}}) {
                command.add("--add-scram");
                command.add(sasl.mechanism() + "=[name=" + user[0] + ",password=" + user[1] + "]");
            }
        }
        try {
            Process format = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            if (!format.waitFor(FORMAT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                Signals.kill(format);
                throw new StackException("Kafka StorageTool format did not finish within " + FORMAT_TIMEOUT.toSeconds()
                        + " s; " + LogFiles.describe(logFile));
            }
            if (format.exitValue() != 0) {
                throw new StackException("Kafka StorageTool format exited with " + format.exitValue() + "; "
                        + LogFiles.describe(logFile));
            }
            Properties record = new Properties();
            record.setProperty("cluster.id", clusterId);
            record.setProperty("controller.port", Integer.toString(controllerPort));
            record.setProperty("scram", scramFingerprint());
            try (Writer out = Files.newBufferedWriter(formatRecord, StandardCharsets.UTF_8)) {
                record.store(out, "Kafka log dir formatted by dev.backendteam.stack.KafkaBroker");
            }
        } catch (IOException e) {
            throw new StackException("cannot format the Kafka log dir " + dataDirectory() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while formatting the Kafka log dir", e);
        }
    }

    private List<String> serverCommand(Path serverProperties) {
        if (jvm == null) {
            launch = null;
            return javaCommand(MAIN_CLASS, serverProperties.toString());
        }
        // The JDK's cache refuses a classpath with a non-empty folder ("Cannot have non-empty directory in paths");
        // the broker needs only jars (a caller's target/classes is on java.class.path, not the broker's code).
        List<Path> program = Stream.of(classpath.split(java.io.File.pathSeparator)).filter(e -> !e.isEmpty())
                .map(Path::of).filter(p -> jvm.kind() == ServiceJvm.Kind.NONE || !Files.isDirectory(p)).toList();
        launch = jvm.launch(COMPONENT, program, cacheDirectory);
        return javaCommand(launch.command(), program.stream().map(Path::toString)
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator)), MAIN_CLASS,
                serverProperties.toString());
    }

    private List<String> javaCommand(String mainClass, String... args) {
        List<String> java = new ArrayList<>();
        java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        java.addAll(jvmOptions);
        return javaCommand(java, classpath, mainClass, args);
    }

    private List<String> javaCommand(List<String> javaAndOptions, String classpath, String mainClass, String... args) {
        List<String> command = new ArrayList<>(javaAndOptions);
        command.add("-Djava.awt.headless=true");
        command.add("-Djava.io.tmpdir=" + directory.resolve("tmp"));
        command.add("-Dlog4j2.configurationFile=" + directory.resolve("log4j2.properties").toUri());
        // Otherwise log4j stops at SIGTERM in parallel with Kafka's own hook, and the shutdown goes unlogged.
        command.add("-Dlog4j2.shutdownHookEnabled=false");
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }

    private void awaitReady() {
        Map<String, Object> config = new LinkedHashMap<>(clientProperties());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 250);
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        Exception last = null;
        try (Admin admin = Admin.create(config)) {
            while (System.nanoTime() - deadline < 0) {
                if (!process.isAlive()) {
                    throw new StackException("the Kafka broker exited with code " + process.exitValue()
                            + " while starting; " + LogFiles.describe(logFile));
                }
                try {
                    if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StackException("interrupted while waiting for the Kafka broker", e);
                } catch (Exception e) {
                    last = e;
                }
                Signals.sleep(Duration.ofMillis(200));
            }
        }
        throw new StackException("the Kafka broker on " + bootstrapServers() + " was not ready within "
                + startupTimeout.toSeconds() + " s (last error: " + (last == null ? "none" : last.getMessage()) + "); "
                + LogFiles.describe(logFile), last);
    }

    private Path tlsDirectory() {
        return directory.resolve("tls");
    }

    private Path keystore() {
        return tlsDirectory().resolve("broker.p12");
    }

    /** The listener's JAAS section: the broker's own login and, for PLAIN, the users it accepts. */
    private String brokerJaas() {
        if (sasl.mechanism().equals("PLAIN")) {
            return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + BROKER_USER
                    + "\" password=\"" + sasl.brokerPassword() + "\" user_" + BROKER_USER + "=\"" + sasl.brokerPassword()
                    + "\" user_" + sasl.username() + "=\"" + sasl.password() + "\";";
        }
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + BROKER_USER
                + "\" password=\"" + sasl.brokerPassword() + "\";";
    }

    /** Identifies the SCRAM users a log dir was formatted with (a digest, not the passwords); "" without SCRAM. */
    private String scramFingerprint() {
        if (sasl == null || !sasl.mechanism().startsWith("SCRAM")) {
            return "";
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((sasl.mechanism() + "\n" + sasl.username()
                    + "\n" + sasl.password() + "\n" + sasl.brokerPassword()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new StackException("no SHA-256 in this JDK", e);
        }
    }

    /**
     * A fresh self-signed certificate for {@code ip:127.0.0.1} (keytool -genkeypair, RSA 2048, 30 days) in a PKCS12
     * keystore, and its certificate in a PKCS12 truststore and as PEM.
     */
    private void makeCertificate() {
        try {
            deleteRecursively(tlsDirectory());
            Files.createDirectories(tlsDirectory());
            Files.createDirectories(logFile.getParent());
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "30",
                    "-dname", "CN=127.0.0.1, O=backend-team local stack", "-ext", "SAN=ip:127.0.0.1",
                    "-keystore", keystore().toString(), "-storetype", "PKCS12",
                    "-storepass:env", "BACKEND_TEAM_STORE_PASSWORD");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            // through the environment, so the password is not on a command line
            builder.environment().put("BACKEND_TEAM_STORE_PASSWORD", sasl.storePassword());
            Process keytool = builder.start();
            if (!keytool.waitFor(FORMAT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                Signals.kill(keytool);
                throw new StackException("keytool did not finish within " + FORMAT_TIMEOUT.toSeconds() + " s");
            }
            if (keytool.exitValue() != 0) {
                throw new StackException("keytool -genkeypair exited with " + keytool.exitValue() + "; "
                        + LogFiles.describe(logFile));
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore())) {
                keys.load(in, sasl.storePassword().toCharArray());
            }
            Certificate certificate = keys.getCertificate("broker");
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("backend-team-broker", certificate);
            try (OutputStream out = Files.newOutputStream(truststore())) {
                trust.store(out, sasl.storePassword().toCharArray());
            }
            String pem = "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
            Files.writeString(certificatePem(), pem, StandardCharsets.US_ASCII);
        } catch (IOException | GeneralSecurityException e) {
            throw new StackException("cannot make the Kafka broker's certificate in " + tlsDirectory() + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while making the Kafka broker's certificate", e);
        }
    }

    private static String randomSecret() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void deleteUnfinished(Path cache) {
        try {
            Files.deleteIfExists(cache);
        } catch (IOException e) {
            throw new StackException("cannot delete the unfinished start-up cache " + cache, e);
        }
    }

    private static String readProperty(Path file, String key) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
            return p.getProperty(key);
        } catch (IOException e) {
            throw new StackException("cannot read " + file, e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new StackException("cannot delete " + dir, e);
        }
    }
}
