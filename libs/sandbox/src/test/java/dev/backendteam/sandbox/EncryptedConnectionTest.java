package dev.backendteam.sandbox;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sandbox over TLS ({@code sslmode=require}, PostgreSQL 15 with a throwaway certificate): the runner
 * connections' sockets still work — handshake, queries, cancel requests — but after the server's 'S' the filter sees
 * only encrypted bytes. What holds then is the byte count of a statement's output and pgjdbc's maxResultBuffer;
 * notices are not dropped on the wire. These tests pin that limitation down, so that a change to it shows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(PostgresServers.class)
class EncryptedConnectionTest {
    /** Over TLS the server flushes each notice as a record of its own: slower than in plain text. */
    private static final String NOTICE_LOOP = SandboxContract.noticeLoop(10_000);
    private PostgresServers.TestServer server;
    private Sandbox sandbox;
    private Sandbox tight;

    @BeforeAll
    void start(PostgresServers.Servers servers) {
        server = servers.pg15();
        Assumptions.assumeTrue(server.tls(), "the server does not accept TLS");
        SandboxSettings settings = SandboxSettings.builder(server.tlsAdminUrl(), server.superuser(), server.password())
                .pgVersion(server.major())
                .statementTimeout(Duration.ofSeconds(10))
                .watchdogGrace(Duration.ofSeconds(1))
                .build();
        sandbox = new Sandbox(settings);
        sandbox.prepare();
        tight = new Sandbox(settings.toBuilder().maxResultBytes(64 * 1024).maxMessageBytes(64 * 1024)
                .maxOutputBytes(256 * 1024).build());
    }

    @AfterAll
    void stop() {
        if (sandbox != null) {
            sandbox.close();
            tight.close();
        }
    }

    @Test
    void theRunnerConnectionsAreEncrypted() throws SQLException {
        try (SandboxDatabase db = sandbox.create("tls")) {
            assertTrue(db.apply("create table t (id int); insert into t values (1);").ok());
            assertEquals(true, sessionEncrypted(db));
        }
    }

    /** Whether the database's one session is encrypted; the runner may not see its own row of pg_stat_ssl. */
    private Boolean sessionEncrypted(SandboxDatabase db) throws SQLException {
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select bool_and(s.ssl), count(*) from pg_stat_ssl s join pg_stat_activity a"
                     + " using (pid) where a.usename = '" + db.name() + "'")) {
            assertTrue(rs.next());
            assertEquals(1, rs.getInt(2), "the database's session");
            return rs.getBoolean(1);
        }
    }

    @Test
    void withoutAnSslmodeInTheAdminUrlTheRunnerConnectionsStayPlain() throws SQLException {
        try (Sandbox plain = new Sandbox(SandboxSettings.builder(server.adminUrl(), server.superuser(), server.password())
                .pgVersion(server.major()).statementTimeout(Duration.ofSeconds(10)).build());
             SandboxDatabase db = plain.create("no sslmode")) {
            assertTrue(db.apply("select 1").ok());
            assertEquals(false, sessionEncrypted(db), "sslmode=allow: plain, as the server does not insist");
            assertEquals(50, SandboxContract.warningsHeldByTheDriver(db, NOTICE_LOOP), "so notices are dropped on the wire");
        }
    }

    @Test
    void noticesAreNotDroppedOnTheWireOnlyCountedAfterwards() throws SQLException {
        try (SandboxDatabase db = sandbox.create("tls notices")) {
            ScriptResult r = db.apply(NOTICE_LOOP);
            assertTrue(r.ok(), () -> r.error().describe());
            List<String> notices = r.statements().get(0).notices();
            assertEquals(51, notices.size(), "the result is as bounded as on a plain connection");
            assertEquals("… and 9950 more notices dropped (the sandbox keeps 50 per statement)", notices.get(50));
            assertEquals(10_000, SandboxContract.warningsHeldByTheDriver(db, NOTICE_LOOP), "but the driver held them all");
            assertEquals(0, db.outputGuard().droppedNotices());
        }
    }

    @Test
    void theByteCountCutsAFloodOfOutput() {
        try (SandboxDatabase db = tight.create("tls flood")) {
            ScriptResult r = db.apply(NOTICE_LOOP);
            assertEquals(Limit.OUTPUT_LIMIT, r.error().limit(), () -> String.valueOf(r.error()));
            assertTrue(r.error().message().startsWith("the statement made the server send more than the 262144 bytes"),
                    r.error().message());
            SandboxContract.assertStillUsable(db);
        }
    }

    @Test
    void rowsAreBoundedByTheDriversMaxResultBuffer() {
        try (SandboxDatabase db = sandbox.create("tls rows")) {
            for (String sql : List.of("select repeat('x', 1000000) from generate_series(1, 100)", "select repeat('x', 100000000)")) {
                ScriptResult r = db.apply(sql);
                assertEquals(Limit.OUTPUT_LIMIT, r.error().limit(), () -> sql + ": " + r.error());
                assertTrue(r.error().message().contains("enforced by the driver"), r.error().message());
                SandboxContract.assertStillUsable(db);
            }
        }
    }

    @Test
    void theWatchdogsCancelRequestGetsThrough() {
        try (SandboxDatabase db = sandbox.create("tls watchdog", Duration.ofSeconds(2))) {
            ScriptResult r = db.apply("set statement_timeout = 0;\nselect pg_sleep(60);");
            assertEquals(Limit.WATCHDOG_CANCEL, r.error().limit(), () -> r.error().describe());
        }
    }
}
