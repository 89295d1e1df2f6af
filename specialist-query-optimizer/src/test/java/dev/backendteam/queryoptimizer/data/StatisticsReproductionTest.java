package dev.backendteam.queryoptimizer.data;

import dev.backendteam.sandbox.PostgresServers;
import dev.backendteam.sandbox.SandboxDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real table's statistics, written by hand, come back from pg_stats after generating and ANALYZE. */
@ExtendWith(PostgresServers.class)
class StatisticsReproductionTest {

    @Test
    void reproducesNullsDistinctValuesMostCommonValuesAndOrder(PostgresServers.Servers servers) {
        List<String> scoreBounds = java.util.stream.IntStream.rangeClosed(0, 10).mapToObj(i -> String.valueOf(i * 100)).toList();
        List<String> timeBounds = java.util.stream.IntStream.rangeClosed(0, 10)
                .mapToObj(i -> "2024-01-" + String.format("%02d", i + 1) + " 00:00:00+00").toList();
        TableStatistics stats = new TableStatistics("public", "events", 20_000, Map.of(
                "kind", new TableStatistics.Column(0, 5, List.of("view", "click", "buy", "share", "like"),
                        List.of(0.5, 0.3, 0.1, 0.06, 0.04), List.of(), 0.01),
                "score", new TableStatistics.Column(0.2, -0.05, List.of("0"), List.of(0.1), scoreBounds, 0.0),
                "happened_at", new TableStatistics.Column(0, -1, List.of(), List.of(), timeBounds, 0.99)));
        try (SandboxDatabase db = DataSandbox.on(servers.pg17()).create("data-stats")) {
            assertTrue(db.apply("create table events (id bigint generated always as identity primary key,"
                    + " kind text not null, score integer, happened_at timestamptz not null)").ok());
            GenerationReport report = new DataGenerator(GenerationSettings.defaults())
                    .fill(db, Map.of(), Map.of("public.events", stats));
            assertEquals(20_000L, report.rows().get("public.events"), "reltuples is the row count");

            Map<String, Object> kind = column(db, "kind");
            assertEquals(0.0, ((Number) kind.get("null_frac")).doubleValue(), 1e-9);
            assertEquals(5.0, ((Number) kind.get("n_distinct")).doubleValue(), 1e-9);
            assertEquals("view", ((List<?>) kind.get("mcv")).get(0));
            assertEquals(0.5, ((Number) ((List<?>) kind.get("freqs")).get(0)).doubleValue(), 0.03);
            assertEquals(0.3, ((Number) ((List<?>) kind.get("freqs")).get(1)).doubleValue(), 0.03);

            Map<String, Object> score = column(db, "score");
            assertEquals(0.2, ((Number) score.get("null_frac")).doubleValue(), 0.03);
            double distinct = distinct(((Number) score.get("n_distinct")).doubleValue(), 20_000);
            assertEquals(1_000, distinct, 250, "n_distinct -0.05 of 20,000 rows");
            assertEquals("0", ((List<?>) score.get("mcv")).get(0));
            assertEquals(0.1, ((Number) ((List<?>) score.get("freqs")).get(0)).doubleValue(), 0.03);

            Map<String, Object> at = column(db, "happened_at");
            assertTrue(((Number) at.get("correlation")).doubleValue() > 0.9, "stored in order: " + at.get("correlation"));
            assertEquals(-1.0, ((Number) at.get("n_distinct")).doubleValue(), 0.05);
        }
    }

    private static double distinct(double nDistinct, long rows) {
        return nDistinct >= 0 ? nDistinct : -nDistinct * rows;
    }

    private static Map<String, Object> column(SandboxDatabase db, String column) {
        return db.query("select null_frac, n_distinct, most_common_vals::text::text[] as mcv, most_common_freqs as freqs,"
                + " correlation from pg_stats where schemaname = 'public' and tablename = 'events' and attname = ?",
                column).get(0);
    }
}
