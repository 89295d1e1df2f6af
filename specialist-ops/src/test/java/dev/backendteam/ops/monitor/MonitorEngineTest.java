package dev.backendteam.ops.monitor;

import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.FailureKind;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Handoff;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Severity;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.StepOutcome;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The monitor without a database to read, and its catalogue as data: settings, placeholders, owners. */
class MonitorEngineTest {
    private final MonitorCatalogue catalogue = MonitorCatalogue.bundled();
    private final MonitorSettings settings = MonitorSettings.defaults(catalogue);

    @Test
    void withoutATargetTheDiagnosticsAreNotRunAndTheFlowGoesOn() {
        StepOutcome outcome = new MonitorEngine(catalogue, settings, Map.of()).work(MonitorDiagnosticsTest.task(null));
        assertEquals(ResultStatus.SUCCEEDED, outcome.status());
        assertEquals(1, outcome.evidence().size());
        assertEquals(EvidenceStatus.NOT_RUN, outcome.evidence().get(0).status());
        assertTrue(outcome.evidence().get(0).details().startsWith("no target database"), outcome.evidence().toString());
        assertNull(outcome.handoff());
    }

    @Test
    void aTargetNotConfiguredFailsTheStepNamingTheVariableToSet() {
        StepOutcome outcome = new MonitorEngine(catalogue, settings, Map.of()).work(MonitorDiagnosticsTest.task(
                "staging"));
        assertEquals(ResultStatus.FAILED, outcome.status());
        assertEquals(FailureKind.INVALID_INPUT, outcome.failureKind());
        assertTrue(outcome.reason().startsWith("target staging is not configured: set BACKEND_TEAM_TARGET_STAGING_URL"),
                outcome.reason());
    }

    @Test
    void anUnreachableTargetFailsTransientlyWithoutItsUrlOrCredentials() {
        Map<String, String> env = Map.of("BACKEND_TEAM_TARGET_PROD_URL", "postgresql://admin:s3cret@127.0.0.1:1/shop",
                "BACKEND_TEAM_TARGET_PROD_PASSWORD", "s3cret-too");
        StepOutcome outcome = new MonitorEngine(catalogue, settings, env).work(MonitorDiagnosticsTest.task("prod"));
        assertEquals(ResultStatus.FAILED, outcome.status());
        assertEquals(FailureKind.TRANSIENT, outcome.failureKind(), "retried: the server may be back");
        assertTrue(outcome.reason().contains("target prod cannot be reached"), outcome.reason());
        for (String secret : List.of("s3cret", "127.0.0.1", "admin", ":1/")) {
            assertFalse(outcome.reason().contains(secret), outcome.reason());
        }
    }

    @Test
    void everyThresholdIsASettingOfApplicationPropertiesWithTheCataloguesDefault() throws IOException {
        Properties p = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            p.load(in);
        }
        catalogue.defaults().forEach((name, value) -> assertEquals(value,
                Double.valueOf(p.getProperty(MonitorSettings.PREFIX + name, "NaN")), MonitorSettings.PREFIX + name));
        long settingsInFile = p.stringPropertyNames().stream().filter(k -> k.startsWith(MonitorSettings.PREFIX))
                .filter(k -> !k.endsWith("statement-timeout")).count();
        assertEquals(catalogue.defaults().size(), settingsInFile, "no setting the catalogue does not read");
        assertThrows(IllegalArgumentException.class, () -> settings.with("no-such-threshold", 1));
    }

    @Test
    void everyDiagnosticsQueryUsesEachOfItsThresholdsAndNamesNoOther() {
        TargetDiagnostics diagnostics = new TargetDiagnostics(catalogue, settings);
        for (Diagnostic d : catalogue.diagnostics()) {
            if (d.sql() == null) {
                continue;
            }
            String raw = MonitorCatalogue.sql(d.sql());
            for (String name : d.thresholds().keySet()) {
                assertTrue(raw.contains("{" + name + "}"), d.id() + " never reads its threshold " + name);
            }
            String sql = diagnostics.query(d);
            assertFalse(sql.matches("(?s).*\\{[\\w-]+}.*"), d.id() + " left a placeholder: " + sql);
            assertTrue(d.fix() != null && !d.fix().isBlank(), d.id() + " has a fix");
        }
    }

    @Test
    void aThresholdIsWrittenIntoSqlAsANumberOnly() {
        assertEquals("10", TargetDiagnostics.literal(10.0));
        assertEquals("0.99", TargetDiagnostics.literal(0.99));
        assertThrows(IllegalArgumentException.class, () -> TargetDiagnostics.literal(Double.NaN));
    }

    @Test
    void aSequenceRunningOutIsAFindingWithItsFixAndNoHandoff() {
        // db-architect, handed monitor.sequence-exhaustion, could only ask for a spec: the fix is the finding's own
        assertNull(catalogue.get("monitor.sequence-exhaustion").owner());
        MonitorEngine engine = new MonitorEngine(catalogue, settings, Map.of());
        Finding sequence = new Finding("monitor.sequence-exhaustion", Severity.ERROR, "public.tickets_id_seq",
                "sequence public.tickets_id_seq is at 2100000001 of 2147483647", "alter sequence … as bigint", null);
        assertTrue(engine.handoff("shop", new TargetDiagnostics.Report(List.of(sequence), List.of(), List.of()))
                .isEmpty(), "no handoff for a sequence running out");
        Finding unused = new Finding("monitor.unused-index", Severity.WARN, "public.idx_t_a", "unused", "drop", null);
        Handoff h = engine.handoff("shop", new TargetDiagnostics.Report(List.of(sequence, unused), List.of(),
                List.of())).orElseThrow();
        assertEquals(Specialist.QUERY_OPTIMIZER, h.service(), "query-optimizer's handoff is unaffected");
        assertEquals("public.idx_t_a", h.diagnosis().object());
        Finding info = new Finding("monitor.sizes", Severity.INFO, "public.t", "1 MB", null, null);
        assertTrue(engine.handoff("shop", new TargetDiagnostics.Report(List.of(info), List.of(), List.of()))
                .isEmpty(), "nothing to hand off for informative rows");
    }
}
