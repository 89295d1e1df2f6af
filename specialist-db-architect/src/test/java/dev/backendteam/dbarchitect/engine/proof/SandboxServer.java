package dev.backendteam.dbarchitect.engine.proof;

import dev.backendteam.sandbox.Sandbox;
import dev.backendteam.sandbox.SandboxSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;

/** An embedded PostgreSQL 17 (zonky, under {@code target/postgres}) with the sandbox of {@code libs/sandbox} on it. */
public final class SandboxServer implements AutoCloseable {
    private final EmbeddedPostgres postgres;
    private final Sandbox sandbox;

    private SandboxServer(EmbeddedPostgres postgres, Sandbox sandbox) {
        this.postgres = postgres;
        this.sandbox = sandbox;
    }

    public static SandboxServer start() throws IOException {
        Path base = Paths.get(System.getProperty("sandbox.test.dir", "target/postgres")).toAbsolutePath();
        Files.createDirectories(base.resolve("zonky-bin"));
        Files.createDirectories(base.resolve("zonky"));
        String previous = System.getProperty("ot.epg.working-dir");
        System.setProperty("ot.epg.working-dir", base.resolve("zonky").toString());
        EmbeddedPostgres.Builder builder;
        try {
            builder = EmbeddedPostgres.builder();
        } finally {
            if (previous == null) {
                System.clearProperty("ot.epg.working-dir");
            } else {
                System.setProperty("ot.epg.working-dir", previous);
            }
        }
        EmbeddedPostgres postgres = builder.setOverrideWorkingDirectory(base.resolve("zonky-bin").toFile())
                .setServerConfig("fsync", "off")
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setPGStartupWait(Duration.ofSeconds(60))
                .start();
        Sandbox sandbox = new Sandbox(SandboxSettings.builder("jdbc:postgresql://127.0.0.1:" + postgres.getPort()
                + "/postgres", "postgres", "postgres").build());
        sandbox.prepare();
        return new SandboxServer(postgres, sandbox);
    }

    public Sandbox sandbox() {
        return sandbox;
    }

    @Override
    public void close() throws IOException {
        sandbox.close();
        postgres.close();
    }
}
