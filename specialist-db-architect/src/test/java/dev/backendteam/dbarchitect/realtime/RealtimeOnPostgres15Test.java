package dev.backendteam.dbarchitect.realtime;

import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.dbarchitect.engine.typescript.TypeScriptCompile;
import dev.backendteam.dbarchitect.engine.typescript.TypeScriptToolchain;
import dev.backendteam.sandbox.PostgresServers;
import dev.backendteam.sandbox.TestSandboxes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The case on PostgreSQL 15 (Debian's binaries), the other version Supabase projects run: the publication,
 * the policies and the matrix behave the same. Skipped, saying how to install it, when the binaries are absent.
 */
@ExtendWith(PostgresServers.class)
class RealtimeOnPostgres15Test {

    @Test
    void liveCursorsAndPresencePerProjectAreProvenOn15Too(PostgresServers.Servers servers) {
        RealtimeEngine engine = new RealtimeEngine(Optional.of(TestSandboxes.on(servers.pg15())), new TypeScriptCompile(
                TypeScriptToolchain.locate(Optional.empty(), TypeScriptToolchain.DEFAULT_TIMEOUT)));

        StepOutcome o = engine.work(RealtimeEngineTest.task(TaskKind.WORK, RealtimeEngineTest.WORDS,
                RealtimeEngineTest.sql(RealtimeEngineTest.SCHEMA + RealtimeEngineTest.SECURITY), List.of()));

        assertEquals(ResultStatus.SUCCEEDED, o.status(), RealtimeEngineTest.describe(o));
        assertEquals(EvidenceStatus.PASSED, RealtimeEngineTest.evidence(o, RealtimeProof.MATRIX).status());
        assertEquals("15", RealtimeEngineTest.evidence(o, RealtimeProof.MATRIX).sandbox().postgres().split("\\.")[0]);
    }
}
