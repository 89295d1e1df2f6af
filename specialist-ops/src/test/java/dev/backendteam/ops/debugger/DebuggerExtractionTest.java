package dev.backendteam.ops.debugger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the debugger reads around an error: statement, SQLSTATE, error text, detail and hint; a column's relation. */
class DebuggerExtractionTest {
    private final DebuggerPatterns patterns = DebuggerPatterns.bundled();

    private ErrorDetails details(String log) {
        LogText text = LogText.of(log, DebuggerEngine.DEFAULT_MAX_LOG_CHARS);
        return ErrorDetails.of(text, DebuggerPatterns.root(patterns.find(text)).orElseThrow());
    }

    @Test
    void aServerLogsStatementFollowsItsErrorAndItsContinuationLinesAreKept() {
        ErrorDetails d = details("""
                2026-11-20 09:00:00 UTC [1] ERROR:  relation "a" does not exist at character 15
                2026-11-20 09:00:00 UTC [1] STATEMENT:  select *
                \tfrom a
                2026-11-20 09:00:01 UTC [2] ERROR:  relation "b" does not exist
                2026-11-20 09:00:01 UTC [2] STATEMENT:  select * from b
                """);
        assertEquals("select *\nfrom a", d.statement(), "its own statement, not the next error's");
        assertEquals("42P01", d.sqlstate(), "the rule's SQLSTATE when the log states none");
    }

    @Test
    void aSqlstateInTheLogIsReadAndOneOfAnotherErrorIsNot() {
        assertEquals("42501", details("""
                ERROR: permission denied for table t
                  SQL state: 42501
                """).sqlstate());
        assertEquals("42P01", details("""
                ERROR:  42P01: relation "x" does not exist
                """).sqlstate(), "verbose error format");
        assertEquals("42P01", details("""
                ERROR: relation "x" does not exist
                later: ERROR (SQLSTATE 23505) on another request
                """).sqlstate(), "a nearby code of another SQLSTATE belongs to another error");
        assertNull(details("java.lang.OutOfMemoryError: Java heap space").sqlstate());
    }

    @Test
    void aSingleHugeLineIsReadInAWindowAroundTheError() {
        // One 180 KB line of would-be knex statements: the window is bounded by characters, the pattern is linear.
        String log = "ERROR: relation \"x\" does not exist " + "select - ".repeat(20_000);
        ErrorDetails d = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> details(log),
                "a guard against hanging, not a benchmark");
        assertEquals("42P01", d.sqlstate());
        assertNull(d.statement(), "no statement is followed by an error on that line");
        String capped = "ERROR: relation \"x\" does not exist " + "select - ".repeat(60_000);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> details(capped), "at the log size cap");
    }

    @Test
    void nodePostgresJsonDrizzleAndKnexStatementsAreRead() {
        assertEquals("select * from \"posts\" where id = $1", details("""
                error: relation "posts" does not exist
                    at /app/node_modules/pg/lib/client.js:526:17 {
                  code: '42P01',
                  query: 'select * from "posts" where id = $1'
                }
                """).statement());
        assertEquals("insert into \"tasks\" (\"title\") values ($1)", details("{\"code\":\"42501\",\"message\":\"new row"
                + " violates row-level security policy for table \\\"tasks\\\"\",\"query\":\"insert into \\\"tasks\\\""
                + " (\\\"title\\\") values ($1)\"}").statement());
        assertEquals("select \"id\" from \"orders\" where \"user_id\" = $1", details(
                "Error: Failed query: select \"id\" from \"orders\" where \"user_id\" = $1\nparams: 7\n"
                        + "cause: error: permission denied for table orders").statement());
        assertEquals("select * from \"comments\" where \"post_id\" = $1", details(
                "select * from \"comments\" where \"post_id\" = $1 - relation \"comments\" does not exist").statement());
    }

    @Test
    void psqlsLineFragmentIsTheLastResortAndAnSqlOfNaIsNone() {
        assertEquals("select c.body from comments c", details("""
                ERROR:  column c.body does not exist
                LINE 1: select c.body from comments c
                               ^
                """).statement());
        assertNull(details("org.hibernate.exception.SQLGrammarException: could not execute statement; SQL [n/a];"
                + " ERROR: relation \"x\" does not exist").statement());
    }

    @Test
    void theErrorIsTheJsonMessageOrTheLineFromItsErrorWordAndDetailAndHintAreRead() {
        ErrorDetails json = details("{\"code\":\"23502\",\"details\":\"Failing row contains (1, null).\",\"hint\":null,"
                + "\"message\":\"null value in column \\\"user_id\\\" of relation \\\"tasks\\\" violates not-null"
                + " constraint\"}");
        assertEquals("null value in column \"user_id\" of relation \"tasks\" violates not-null constraint", json.error());
        assertEquals("Failing row contains (1, null).", json.detail());
        ErrorDetails server = details("""
                2026-11-20 09:00:00 UTC [1] app@db ERROR:  function gen_random_uuid() does not exist
                2026-11-20 09:00:00 UTC [1] app@db HINT:  No function matches the given name and argument types.
                """);
        assertEquals("ERROR:  function gen_random_uuid() does not exist", server.error());
        assertEquals("No function matches the given name and argument types.", server.hint());
    }

    @Test
    void anErrorOrStatementIsBounded() {
        String huge = "x".repeat(200_000);
        ErrorDetails d = details("ERROR: relation \"t\" does not exist " + huge + "\nSTATEMENT:  select " + huge);
        assertTrue(d.error().length() <= ErrorDetails.MAX_ERROR + 1);
        assertTrue(d.statement().length() <= ErrorDetails.MAX_STATEMENT + 1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "c.body|select c.body from comments c where c.id = $1|comments.body",
            "c.body|select c.body from public.comments as c|public.comments.body",
            "body|select body from posts|posts.body",
            "body|update posts set body = $1 where id = $2|posts.body",
            "body|select body from posts p join comments c on c.post_id = p.id|body",
            "comments.body|select 1|comments.body",
            "x.body|select body from posts p|x.body",
            "body|select \"body\" from \"Posts\"|Posts.body" })
    void aColumnIsQualifiedByTheStatementsRelationOnlyWhenThatIsCertain(String column, String sql, String expected) {
        assertEquals(expected, SqlRelations.qualifyColumn(column, sql));
    }

    @Test
    void controlCharactersAreBlankedAndLineEndsNormalised() {
        LogText t = LogText.of("a\u0000b\r\nc\rd\u001b[0m", 10_000);
        assertEquals("a b\nc\nd [0m", t.text());
        assertEquals(3, t.originalLines());
        assertFalse(t.truncated());
    }

    @Test
    void causeChainsAreBlocksAndTheirDepthCounts() {
        LogText t = LogText.of("""
                INFO x
                java.lang.RuntimeException: top
                \tat a.B.c(B.java:1)
                Caused by: java.lang.IllegalStateException: middle
                \t... 3 more
                Caused by: java.sql.SQLException: bottom
                INFO y
                """, 10_000);
        int bottom = t.text().indexOf("bottom");
        int top = t.text().indexOf("top");
        assertEquals(t.blockStart(top), t.blockStart(bottom));
        assertEquals(0, t.depth(top));
        assertEquals(2, t.depth(bottom));
        assertEquals(0, t.depth(t.text().indexOf("INFO y")));
    }
}
