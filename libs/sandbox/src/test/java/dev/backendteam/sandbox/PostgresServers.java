package dev.backendteam.sandbox;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The PostgreSQL servers the sandbox tests run against, each started once per test JVM and stopped when the run
 * ends (the root store closes them): PostgreSQL 17 from zonky's embedded binaries (trust authentication), and
 * Debian's PostgreSQL 15 from {@code /usr/lib/postgresql/15/bin} (scram-sha-256 on TCP, so the runner roles'
 * passwords are really used; TLS on, with a throwaway certificate, for the encrypted-connection tests). Everything
 * lives under {@code target/postgres}. Both preload pg_stat_statements (both ship it), so a test can create the
 * extension in its database and read what other sessions ran, as on a real server with query statistics. {@link TestServer#adminUrl()} leads to plain connections,
 * {@link TestServer#tlsAdminUrl()} to encrypted ones.
 *
 * <p>Tests take a {@link Servers} parameter (e.g. in a {@code @BeforeAll} method of a PER_CLASS test).
 */
public final class PostgresServers implements ParameterResolver {
    static final Path PG15_BIN = Paths.get("/usr/lib/postgresql/15/bin");
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(PostgresServers.class);
    private static final String SUPERUSER = "postgres";
    private static final String PASSWORD = "postgres";

    /**
     * A running server and its superuser; {@code tls}: it accepts encrypted connections; {@code logFile}: the server
     * log, or null where the server's output is not kept in a file (zonky's).
     */
    public record TestServer(int major, int port, String superuser, String password, boolean tls, Path logFile) {
        /**
         * No sslmode: the admin's connections use pgjdbc's default (prefer, so TLS on 15), the runner's the
         * sandbox's (allow: plain text, so the output filter frames every message).
         */
        public String adminUrl() {
            return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        }

        String tlsAdminUrl() {
            return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?sslmode=require";
        }

        public Connection connect(String database) throws SQLException {
            Properties p = new Properties();
            p.setProperty("user", superuser);
            p.setProperty("password", password);
            return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, p);
        }
    }

    /** Lazily started servers, shared by every test class of the run. */
    public static final class Servers {
        private final ExtensionContext.Store store;

        private Servers(ExtensionContext.Store store) {
            this.store = store;
        }

        public TestServer pg17() {
            return store.computeIfAbsent("pg17", k -> Zonky.start(), Zonky.class).server;
        }

        /** PostgreSQL 15, or the test is skipped with the reason when Debian's binaries are not installed. */
        public TestServer pg15() {
            Assumptions.assumeTrue(Files.isExecutable(PG15_BIN.resolve("initdb")),
                    "PostgreSQL 15 binaries not found in " + PG15_BIN
                            + " — install them with: apt-get install -y postgresql-15 ; skipping the PostgreSQL 15 run");
            return store.computeIfAbsent("pg15", k -> Debian.start(PG15_BIN, 15), Debian.class).server;
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Servers.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return new Servers(context.getRoot().getStore(NS));
    }

    static Path baseDirectory() {
        return Paths.get(System.getProperty("sandbox.test.dir", "target/postgres")).toAbsolutePath();
    }

    /** zonky's PostgreSQL 17; its binaries and scratch folders under target/postgres. */
    static final class Zonky implements AutoCloseable {
        private final EmbeddedPostgres postgres;
        final TestServer server;

        private Zonky(EmbeddedPostgres postgres) {
            this.postgres = postgres;
            this.server = new TestServer(17, postgres.getPort(), SUPERUSER, PASSWORD, false, null);
        }

        static Zonky start() {
            Path base = baseDirectory();
            try {
                Files.createDirectories(base.resolve("zonky-bin"));
                Files.createDirectories(base.resolve("zonky"));
                EmbeddedPostgres.Builder builder;
                // zonky reads its scratch folder from this property when a builder is made
                String previous = System.getProperty("ot.epg.working-dir");
                System.setProperty("ot.epg.working-dir", base.resolve("zonky").toString());
                try {
                    builder = EmbeddedPostgres.builder();
                } finally {
                    if (previous == null) {
                        System.clearProperty("ot.epg.working-dir");
                    } else {
                        System.setProperty("ot.epg.working-dir", previous);
                    }
                }
                return new Zonky(builder
                        .setOverrideWorkingDirectory(base.resolve("zonky-bin").toFile())
                        .setServerConfig("fsync", "off")
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                        .setPGStartupWait(Duration.ofSeconds(60))
                        .start());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL 17", e);
            }
        }

        @Override
        public void close() throws IOException {
            postgres.close();
        }
    }

    /**
     * A Debian PostgreSQL (e.g. 15) cluster in target/postgres/pg&lt;major&gt;, initialised afresh for each run.
     * initdb refuses root, so as root everything runs through {@code runuser -u postgres}.
     */
    static final class Debian implements AutoCloseable {
        private final Path bin;
        private final Path dir;
        private final Thread shutdownHook;
        final TestServer server;

        private Debian(Path bin, Path dir, TestServer server) {
            this.bin = bin;
            this.dir = dir;
            this.server = server;
            this.shutdownHook = new Thread(this::stop, "stop-postgres-" + server.major());
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }

        static Debian start(Path bin, int major) {
            Path dir = clusterDirectory(major);
            Path data = dir.resolve("data");
            try {
                if (Files.exists(data.resolve("postmaster.pid"))) {
                    // a previous run died without stopping its server
                    run(bin, List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"), true);
                }
                deleteTree(dir);
                Files.createDirectories(dir.resolve("sock"));
                Path pwfile = dir.resolve("pwfile");
                Files.writeString(pwfile, PASSWORD + "\n", StandardCharsets.UTF_8);
                writeCertificate(dir);
                if (isRoot()) {
                    chownTree(dir, "postgres");
                }
                run(bin, List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", SUPERUSER,
                        "--pwfile=" + pwfile, "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8",
                        "--locale=C.UTF-8", "--no-sync", "--no-instructions"), false);
                int port = freePort();
                run(bin, List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
                        dir.resolve("postgres.log").toString(), "-w", "-t", "60", "-o",
                        "-p " + port + " -k " + dir.resolve("sock") + " -c listen_addresses=127.0.0.1 -c fsync=off"
                                + " -c shared_preload_libraries=pg_stat_statements"
                                + " -c ssl=on -c ssl_cert_file=" + dir.resolve("server.crt")
                                + " -c ssl_key_file=" + dir.resolve("server.key"),
                        "start"), false);
                return new Debian(bin, dir, new TestServer(major, port, SUPERUSER, PASSWORD, true,
                        dir.resolve("postgres.log")));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start PostgreSQL " + major + " from " + bin, e);
            }
        }

        /**
         * As root the cluster runs as the postgres user, which must be able to reach its folder: a checkout (or a
         * mktemp folder) may not be traversable by others, so the cluster lives under the system temp folder, in a
         * folder named after this checkout (stable, so a run that died is cleaned up by the next).
         */
        private static Path clusterDirectory(int major) {
            if (!isRoot()) {
                return baseDirectory().resolve("pg" + major);
            }
            String checkout = Integer.toHexString(baseDirectory().toString().hashCode());
            return Paths.get(System.getProperty("java.io.tmpdir"), "backend-team-sandbox-pg" + major + "-" + checkout);
        }

        private void stop() {
            Path data = dir.resolve("data");
            if (Files.exists(data.resolve("postmaster.pid"))) {
                try {
                    run(bin, List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w",
                            "-t", "30", "stop"), true);
                } catch (IOException e) {
                    System.err.println("could not stop PostgreSQL in " + data + ": " + e.getMessage());
                }
            }
        }

        @Override
        public void close() {
            stop();
            try {
                deleteTree(dir);
            } catch (IOException e) {
                System.err.println("could not delete " + dir + ": " + e.getMessage());
            }
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // the JVM is already shutting down: the hook runs (and finds nothing to stop)
            }
        }

        private static void run(Path bin, List<String> command, boolean tolerateFailure) throws IOException {
            List<String> full = new ArrayList<>();
            if (isRoot()) {
                full.addAll(List.of("runuser", "-u", "postgres", "--"));
            }
            full.addAll(command);
            Path log = baseDirectory().resolve("pg-commands.log");
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder(full).directory(Paths.get(System.getProperty("java.io.tmpdir")).toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            try {
                if (!p.waitFor(90, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IOException("timed out: " + String.join(" ", full));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted: " + String.join(" ", full), e);
            }
            if (p.exitValue() != 0 && !tolerateFailure) {
                throw new IOException("exit " + p.exitValue() + ": " + String.join(" ", full) + " (see " + log + ")");
            }
        }

        /**
         * A self-signed certificate for 127.0.0.1 and its key, as PEM files PostgreSQL reads: made with the JDK's
         * keytool and KeyStore, so no openssl is needed.
         */
        private static void writeCertificate(Path dir) throws IOException {
            Path store = dir.resolve("server.p12");
            char[] pass = "changeit".toCharArray();
            String keytool = Paths.get(System.getProperty("java.home"), "bin", "keytool").toString();
            Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "pg", "-keyalg", "RSA", "-keysize", "2048",
                    "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                    "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IOException("keytool could not make a certificate");
                }
                java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
                try (var in = Files.newInputStream(store)) {
                    ks.load(in, pass);
                }
                java.util.Base64.Encoder pem = java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
                Files.writeString(dir.resolve("server.crt"), "-----BEGIN CERTIFICATE-----\n"
                        + pem.encodeToString(ks.getCertificate("pg").getEncoded()) + "\n-----END CERTIFICATE-----\n");
                Path key = dir.resolve("server.key");
                Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n"
                        + pem.encodeToString(ks.getKey("pg", pass).getEncoded()) + "\n-----END PRIVATE KEY-----\n");
                // PostgreSQL refuses a key others may read
                Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
                Files.delete(store);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while making a certificate", e);
            } catch (java.security.GeneralSecurityException e) {
                throw new IOException("cannot read the certificate keytool made", e);
            }
        }

        private static boolean isRoot() {
            return "root".equals(System.getProperty("user.name"));
        }

        private static void chownTree(Path root, String user) throws IOException {
            UserPrincipalLookupService users = root.getFileSystem().getUserPrincipalLookupService();
            var owner = users.lookupPrincipalByName(user);
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path p : paths.toList()) {
                    Files.setOwner(p, owner);
                }
            }
        }

        private static void deleteTree(Path root) throws IOException {
            if (!Files.exists(root)) {
                return;
            }
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }

        private static int freePort() throws IOException {
            try (ServerSocket s = new ServerSocket(0)) {
                return s.getLocalPort();
            }
        }
    }
}
