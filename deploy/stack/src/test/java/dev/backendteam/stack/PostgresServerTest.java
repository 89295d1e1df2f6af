package dev.backendteam.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PostgresServerTest {
    /** Extracted once per build folder instead of once per test. */
    static final Path SHARED_BINARIES = Path.of("target", "postgres-binaries");

    @Test
    void serverStartsCreatesADatabaseAndIsStoppedThroughItsPidFile(@TempDir Path state) throws Exception {
        PidFile pidFile = PidFile.of(state, PostgresServer.COMPONENT);
        PostgresServer server = new PostgresServer(state.resolve("postgres"), 0)
                .withBinariesDirectory(SHARED_BINARIES)
                .withPidFile(pidFile);
        try {
            server.start();
            long pid = server.pid();
            assertEquals(pid, pidFile.liveProcess().orElseThrow().pid());
            assertEquals(pid, PostgresServer.postmasterPid(server.dataDirectory()).orElseThrow());

            assertTrue(server.createDatabase("backend_team"));
            assertFalse(server.createDatabase("backend_team"), "already there");
            try (Connection c = server.connect("backend_team"); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("show server_version")) {
                    assertTrue(rs.next());
                    assertTrue(rs.getString(1).startsWith("17."), rs.getString(1));
                }
                try (ResultSet rs = s.executeQuery("show listen_addresses")) {
                    assertTrue(rs.next());
                    assertEquals("127.0.0.1", rs.getString(1));
                }
                s.execute("create table job (id text primary key)");
                s.execute("insert into job values ('job-1')");
            }

            // What another JVM (a launcher's down, or the next run) would do: only the pid file is needed.
            assertTrue(PostgresServer.stop(pidFile, Duration.ofSeconds(20)));
            assertFalse(ProcessHandle.of(pid).map(Signals::isRunning).orElse(false));
            assertFalse(server.isAlive());
            assertFalse(pidFile.exists());
            assertFalse(PostgresServer.stop(pidFile, Duration.ofSeconds(1)), "nothing left to stop");
        } finally {
            server.stop();
        }
    }
}
