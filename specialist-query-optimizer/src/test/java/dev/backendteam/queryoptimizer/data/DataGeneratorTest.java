package dev.backendteam.queryoptimizer.data;

import dev.backendteam.sandbox.PostgresServers;
import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.sandbox.ScriptResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(PostgresServers.class)
class DataGeneratorTest {

    private static SandboxDatabase withSchema(PostgresServers.TestServer server, String label, String schema) {
        SandboxDatabase db = DataSandbox.on(server).create(label);
        ScriptResult applied = db.apply(schema);
        assertTrue(applied.ok(), () -> applied.error().describe());
        return db;
    }

    private static double number(SandboxDatabase db, String sql) {
        return ((Number) db.query(sql).get(0).get("v")).doubleValue();
    }

    @Test
    void fillsEveryTableWithTheRequestedRowsAndSkew(PostgresServers.Servers servers) {
        try (SandboxDatabase db = withSchema(servers.pg17(), "data-fill", DataSandbox.taskTracker())) {
            Map<String, Long> counts = DataSandbox.taskTrackerRows(50_000);
            GenerationReport report = new DataGenerator(GenerationSettings.defaults()).fill(db, counts, Map.of());
            System.out.println(report);

            assertEquals(1.0, report.scale());
            List<String> order = List.copyOf(report.rows().keySet());
            assertEquals("auth.users", order.get(0));
            for (String[] edge : new String[][] {{"organizations", "memberships"}, {"profiles", "profiles"},
                    {"projects", "tasks"}, {"tasks", "task_tags"}, {"tags", "task_tags"}, {"projects", "line_items"}}) {
                assertTrue(order.indexOf("public." + edge[0]) <= order.indexOf("public." + edge[1]), "parents first: " + order);
            }
            counts.forEach((table, rows) -> assertEquals(rows, report.rows().get(table.contains(".") ? table
                    : "public." + table), table));
            assertEquals(980L, report.rows().get("auth.users"), "a twentieth of tasks' rows");
            assertTrue(report.notes().stream().noneMatch(n -> n.contains("could not be filled") || n.contains("stopped")),
                    () -> String.join("\n", report.notes()));

            // skew: a few hot owners, one dominant status, recent timestamps, soft deletes mostly null
            double top = number(db, "select max(n)::float8 as v from (select count(*) n from tasks group by assignee_id) x");
            double median = number(db, "select percentile_cont(0.5) within group (order by n) as v"
                    + " from (select count(*) n from tasks where assignee_id is not null group by assignee_id) x");
            assertTrue(top >= 10 * median, "top assignee " + top + " vs median " + median);
            double projectsTop = number(db, "select max(n)::float8 as v from (select count(*) n from projects group by org_id) x");
            assertTrue(projectsTop >= 5 * 2_000 / 200.0, "the hottest org owns " + projectsTop + " projects");
            assertTrue(number(db, "select max(n)::float8 / sum(n) as v from (select count(*) n from tasks group by status) x") > 0.5);
            assertTrue(number(db, "select avg((created_at > now() - interval '90 days')::int) as v from tasks") > 0.5);
            assertTrue(number(db, "select avg((deleted_at is null)::int) as v from tasks") > 0.85);
            assertTrue(number(db, "select avg((description is not null)::int) as v from tasks") > 0.8);
            assertTrue(number(db, "select avg((parent_id is not null)::int) as v from tasks") > 0.2, "a tree of tasks");
            assertEquals(0, number(db, "select count(*) as v from tasks t join tasks p on p.id = t.parent_id where p.id >= t.id"),
                    "a parent is an earlier task, so there is no cycle");
            assertTrue(number(db, "select count(distinct priority) as v from tasks") >= 3);
            assertTrue(number(db, "select avg(length(description)) as v from tasks") > 60, "bodies are long");
            assertEquals((double) report.rows().get("public.profiles"), number(db, "select count(distinct email) as v from profiles"));
            assertTrue(number(db, "select count(*) as v from profiles where email like 'user%@example.com'") > 0);
            assertEquals(0.0, number(db, "select count(email) - count(distinct email) as v from auth.users"), "no shared emails");
            // the checks held (the server enforces them; this proves the data did not dodge them with nulls)
            assertTrue(number(db, "select avg((ends_at is not null)::int) as v from projects") > 0.8);
            assertEquals(0, number(db, "select count(*) as v from line_items where price < 0"));
            assertTrue(number(db, "select count(*) as v from tasks t join projects p on p.id = t.project_id"
                    + " where p.org_id <> t.org_id") == 0, "the composite key ties a task to its project's org");
            // analyzed
            assertTrue(number(db, "select count(*) as v from pg_stats where schemaname = 'public' and tablename = 'tasks'") > 5);
        }
    }

    @Test
    void scalesEveryTableByOneFactorAboveTheBudget(PostgresServers.Servers servers) {
        try (SandboxDatabase db = withSchema(servers.pg17(), "data-budget", DataSandbox.taskTracker())) {
            Map<String, Long> counts = DataSandbox.taskTrackerRows(50_000);
            GenerationReport report = new DataGenerator(GenerationSettings.defaults().withRowBudget(10_000))
                    .fill(db, counts, Map.of());
            long asked = counts.values().stream().mapToLong(Long::longValue).sum() + 980;
            assertEquals(10_000.0 / asked, report.scale(), 1e-9);
            counts.forEach((table, rows) -> {
                long got = report.rows().get(table.contains(".") ? table : "public." + table);
                assertEquals(Math.round(rows * report.scale()), got, 1.0, table);
            });
            assertEquals(Math.round(980 * report.scale()), report.rows().get("auth.users"), 1.0);
            assertTrue(report.notes().stream().anyMatch(n -> n.contains("scaled by")), () -> report.notes().toString());
            assertTrue(report.totalRows() <= 10_010, "within the budget: " + report.totalRows());
        }
    }

    @Test
    void fillsTheSchemaOnPostgres15(PostgresServers.Servers servers) {
        try (SandboxDatabase db = withSchema(servers.pg15(), "data-pg15", DataSandbox.taskTracker())) {
            Map<String, Long> counts = DataSandbox.taskTrackerRows(10_000);
            GenerationReport report = new DataGenerator(GenerationSettings.defaults()).fill(db, counts, Map.of());
            counts.forEach((table, rows) -> assertEquals(rows, report.rows().get(table.contains(".") ? table
                    : "public." + table), table));
            assertTrue(report.notes().stream().noneMatch(n -> n.contains("could not be filled") || n.contains("stopped")),
                    () -> String.join("\n", report.notes()));
        }
    }

    @Test
    void namesTheTablesItCannotFillAndFillsTheRest(PostgresServers.Servers servers) {
        String schema = """
                create table impossible (id bigint generated always as identity primary key,
                    n integer not null check (n > 10 and n < 5));
                create table odd (id bigint generated always as identity primary key, at point not null);
                create table fine (id bigint generated always as identity primary key, name text not null,
                    code text check (code ~ '^[0-9]{3}$'), place point);
                """;
        try (SandboxDatabase db = withSchema(servers.pg17(), "data-ugly", schema)) {
            GenerationReport report = new DataGenerator(GenerationSettings.defaults())
                    .fill(db, Map.of("impossible", 500L, "odd", 500L, "fine", 700L), Map.of());
            assertEquals(700L, report.rows().get("public.fine"));
            assertEquals(0L, report.rows().get("public.impossible"));
            assertEquals(0L, report.rows().get("public.odd"));
            assertTrue(report.notes().stream().anyMatch(n -> n.startsWith("public.impossible stopped at 0 rows")),
                    () -> report.notes().toString());
            assertTrue(report.notes().stream().anyMatch(n -> n.startsWith("public.odd could not be filled")
                    && n.contains("point")), () -> report.notes().toString());
            assertTrue(report.notes().stream().anyMatch(n -> n.startsWith("public.fine.place left null")),
                    () -> report.notes().toString());
            // an arbitrary check (a regular expression) is met by filtering candidates, or the column left null
            assertEquals(0, number(db, "select count(*) as v from fine where code !~ '^[0-9]{3}$'"));
        }
    }

    @Test
    void breaksACycleOfForeignKeysWithAnUpdate(PostgresServers.Servers servers) {
        String schema = """
                create table teams (id bigint generated always as identity primary key, name text not null,
                    captain_id bigint);
                create table players (id bigint generated always as identity primary key,
                    team_id bigint not null references teams (id), name text not null);
                alter table teams add foreign key (captain_id) references players (id);
                """;
        try (SandboxDatabase db = withSchema(servers.pg17(), "data-cycle", schema)) {
            GenerationReport report = new DataGenerator(GenerationSettings.defaults())
                    .fill(db, Map.of("teams", 50L, "players", 2_000L), Map.of());
            assertEquals(List.of("public.teams", "public.players"), List.copyOf(report.rows().keySet()));
            assertEquals(2_000L, report.rows().get("public.players"));
            assertTrue(report.notes().stream().anyMatch(n -> n.contains("cycle") && n.contains("captain_id")),
                    () -> report.notes().toString());
            assertTrue(number(db, "select avg((captain_id is not null)::int) as v from teams") > 0.7,
                    "the deferred key was set afterwards");
        }
    }
}
