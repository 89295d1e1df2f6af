package dev.backendteam.queryoptimizer.data;

import dev.backendteam.queryoptimizer.QueryOptimizerSandbox;
import dev.backendteam.sandbox.PostgresServers;
import dev.backendteam.sandbox.SandboxDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Every column type the generator writes a value for, NOT NULL so a type it writes wrong cannot hide behind a null:
 * the table gets its rows and no note (a jsonb payload once failed on an array subscript the parser read as a type).
 */
@ExtendWith(PostgresServers.class)
class EveryTypeTest {
    private static final String TABLE = """
            create table public.audit_event (
              id uuid primary key default gen_random_uuid(),
              action text not null, payload jsonb not null, doc json not null, ip inet not null,
              digest bytea not null, took interval not null, at_time time not null, on_day date not null,
              amount numeric(12,2) not null, ratio double precision not null, flag boolean not null,
              counter bigint not null, small smallint not null, tags text[] not null, scores int[] not null,
              created_at timestamptz not null default now());
            """;

    @Test
    void eachTypeGetsAValue(PostgresServers.Servers servers) {
        try (SandboxDatabase db = QueryOptimizerSandbox.on(servers.pg17()).create("qo-every-type")) {
            assertNull(db.apply(TABLE).error());
            GenerationReport r = new DataGenerator(GenerationSettings.defaults()).fill(db, Map.of("audit_event", 500L),
                    Map.of());
            assertEquals(List.of(), r.notes().stream().filter(n -> n.contains("could not")).toList());
            assertEquals(500L, r.rows().get("public.audit_event"));
            assertEquals(500L, ((Number) db.query("select count(*) as n from public.audit_event"
                    + " where payload ->> 'source' is not null").get(0).get("n")).longValue(), "a real jsonb object");
        }
    }
}
