package dev.backendteam.bench;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class EngineTimesTest {
    private static final EngineTimes.Key OPS_WORK = new EngineTimes.Key("ops", "work");

    @Test
    void sumsAndCountsAreAddedUpOverStatusesAndDifferenced() {
        Map<EngineTimes.Key, EngineTimes.Totals> before = EngineTimes.parse("""
                # TYPE backend_team_task_duration_seconds summary
                backend_team_task_duration_seconds_count{kind="work",service="ops",status="succeeded"} 10.0
                backend_team_task_duration_seconds_sum{kind="work",service="ops",status="succeeded"} 0.05
                backend_team_task_duration_seconds_max{kind="work",service="ops",status="succeeded"} 0.02
                """);
        Map<EngineTimes.Key, EngineTimes.Totals> after = EngineTimes.parse("""
                backend_team_task_duration_seconds_count{kind="work",service="ops",status="succeeded",} 18.0
                backend_team_task_duration_seconds_sum{kind="work",service="ops",status="succeeded",} 0.09
                backend_team_task_duration_seconds_count{kind="work",service="ops",status="failed",} 2.0
                backend_team_task_duration_seconds_sum{kind="work",service="ops",status="failed",} 0.01
                backend_team_task_duration_seconds_count{kind="validate",service="ops",status="succeeded",} 0.0
                backend_team_task_duration_seconds_sum{kind="validate",service="ops",status="succeeded",} 0.0
                """);
        Map<EngineTimes.Key, Double> mean = EngineTimes.meanMillis(before, after);
        assertEquals(5.0, mean.get(OPS_WORK), 1e-9, "(0.10 − 0.05) s over (20 − 10) tasks");
        assertFalse(mean.containsKey(new EngineTimes.Key("ops", "validate")), "no task in between: no mean");
    }
}
