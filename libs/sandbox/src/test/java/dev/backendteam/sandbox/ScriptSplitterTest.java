package dev.backendteam.sandbox;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScriptSplitterTest {

    private static List<String> sql(String script) {
        return ScriptSplitter.split(script).stream().map(SqlStatement::sql).toList();
    }

    @Test
    void splitsOnSemicolonsAndKeepsATrailingStatementWithoutOne() {
        assertEquals(List.of("create table a (id int)", "insert into a values (1)", "select * from a"),
                sql("create table a (id int);\ninsert into a values (1);\nselect * from a"));
    }

    @Test
    void dropsEmptyStatementsAndWhitespace() {
        assertEquals(List.of("select 1", "select 2"), sql(";;  select 1;;\n\n ;select 2;  ;\n"));
        assertEquals(List.of(), sql(""));
        assertEquals(List.of(), sql("  ;\n;"));
        assertEquals(List.of(), sql(null));
    }

    @Test
    void dollarQuotedBodiesWithTagsAndNestedDifferentTags() {
        String fn = """
                create function f() returns trigger language plpgsql as $body$
                begin
                  execute $q$ select 1; select 2 $q$;
                  perform $$ ; $$;
                  return new;
                end;
                $body$""";
        List<String> parts = sql(fn + ";\nselect 3;");
        assertEquals(2, parts.size());
        assertEquals(fn, parts.get(0));
        assertEquals("select 3", parts.get(1));
    }

    @Test
    void anonymousDollarQuoteAndDoBlock() {
        assertEquals(List.of("do $$ begin raise notice 'a;b'; end $$", "select 1"),
                sql("do $$ begin raise notice 'a;b'; end $$;\nselect 1;"));
    }

    @Test
    void dollarSignsThatAreNotQuotes() {
        // positional parameters and identifiers containing $
        assertEquals(List.of("select $1, $2 from t", "select a$b from t"), sql("select $1, $2 from t; select a$b from t;"));
    }

    @Test
    void commentsContainingSemicolonsAndQuotes() {
        List<String> parts = sql("""
                -- a comment; with a semicolon and a 'quote
                select 1; -- trailing; comment
                /* block; comment /* nested; */ still comment; ' */
                select 2;
                """);
        assertEquals(List.of("select 1", "select 2"), parts);
    }

    @Test
    void commentsInsideAStatementStayInIt() {
        assertEquals(List.of("select 1 -- one; really\n  + 2", "select 3"), sql("select 1 -- one; really\n  + 2;\nselect 3"));
    }

    @Test
    void stringsWithDoubledQuotesAndEscapeStrings() {
        assertEquals(List.of("select 'it''s; fine'", "select E'it\\'s; also \\\\ fine'", "select e'\\\\'", "select 4"),
                sql("select 'it''s; fine'; select E'it\\'s; also \\\\ fine'; select e'\\\\'; select 4;"));
    }

    @Test
    void standardStringsTreatBackslashAsACharacter() {
        // 'C:\' ends at the quote: the backslash does not escape it
        assertEquals(List.of("select 'C:\\'", "select 2"), sql("select 'C:\\'; select 2;"));
    }

    @Test
    void prefixedStringsAndQuotedIdentifiers() {
        assertEquals(List.of("select U&'d\\0061t;a', B'101', X'ff', N'n;'", "select 1 as \"semi;colon\"\"x\"",
                        "select U&\"a;b\""),
                sql("select U&'d\\0061t;a', B'101', X'ff', N'n;'; select 1 as \"semi;colon\"\"x\"; select U&\"a;b\";"));
    }

    @Test
    void identifiersEndingInEAreNotEscapeStrings() {
        // "type'…'" is a typed literal, not E'…': the backslash does not escape the quote
        assertEquals(List.of("select date'2020-01-01', type'\\'", "select 2"), sql("select date'2020-01-01', type'\\'; select 2;"));
    }

    @Test
    void beginAtomicBodiesOfSqlFunctionsAreOneStatement() {
        String fn = """
                create or replace function add_one(i int) returns int language sql
                begin atomic
                  select case when i is null then 0 else i + 1 end;
                  select i + 1;
                end""";
        String proc = "create procedure p() begin atomic insert into t values (1); end";
        assertEquals(List.of(fn, proc, "select 1"), sql(fn + ";\n" + proc + ";\nselect 1;"));
    }

    @Test
    void transactionBlocksAreSplitIntoTheirStatements() {
        List<SqlStatement> s = ScriptSplitter.split("""
                BEGIN;
                insert into t values (1);
                COMMIT;
                start transaction isolation level serializable;
                rollback to savepoint a;
                rollback;
                end;
                """);
        assertEquals(List.of("BEGIN", "INSERT", "COMMIT", "START", "ROLLBACK", "ROLLBACK", "END"),
                s.stream().map(SqlStatement::keyword).toList());
        assertTrue(s.get(0).opensTransaction());
        assertTrue(s.get(2).closesTransaction());
        assertTrue(s.get(3).opensTransaction());
        assertFalse(s.get(4).closesTransaction(), "ROLLBACK TO SAVEPOINT stays in the block");
        assertTrue(s.get(5).closesTransaction());
        assertTrue(s.get(6).closesTransaction());
        assertFalse(s.get(1).opensTransaction());
    }

    @Test
    void plpgsqlBeginInsideADollarQuoteIsNotATransaction() {
        List<SqlStatement> s = ScriptSplitter.split("create function f() returns void language plpgsql as $$ begin end $$;");
        assertEquals(1, s.size());
        assertFalse(s.get(0).opensTransaction());
    }

    @Test
    void statementsThatCannotRunInATransactionBlock() {
        List<SqlStatement> s = ScriptSplitter.split("""
                create index concurrently idx_a on a (x);
                CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS idx_b ON b (y);
                drop index concurrently idx_a;
                reindex (verbose) table concurrently a;
                vacuum analyze a;
                alter system set work_mem = '1GB';
                alter table p detach partition c concurrently;
                create index idx_c on c (z);
                create table concurrently_named (id int);
                """);
        assertEquals(List.of(true, true, true, true, true, true, true, false, false),
                s.stream().map(SqlStatement::cannotRunInTransaction).toList());
    }

    @Test
    void lineAndColumnOfEachStatement() {
        List<SqlStatement> s = ScriptSplitter.split("""
                -- header
                select 1;   select 2;
                  /* c */ select
                  3;
                """);
        assertEquals(List.of(2, 2, 3), s.stream().map(SqlStatement::line).toList());
        assertEquals(List.of(1, 13, 11), s.stream().map(SqlStatement::column).toList());
        assertEquals(List.of(1, 2, 3), s.stream().map(SqlStatement::index).toList());
        assertEquals("select", s.get(2).firstLine());
    }

    @Test
    void columnsCountCodePoints() {
        // 😀 is two UTF-16 chars but one character for PostgreSQL
        List<SqlStatement> s = ScriptSplitter.split("select '😀'; select 2;");
        assertEquals(13, s.get(1).column());
    }

    @Test
    void serverPositionsMapToScriptLineAndColumn() {
        String script = "select 1;\n\ninsert into t\n  values ('é', nosuch);";
        SqlStatement second = ScriptSplitter.split(script).get(1);
        // the server's position is 1-based in characters of the statement: "nosuch" starts at character 32
        int position = second.sql().indexOf("nosuch") + 1;
        assertEquals(new ScriptLocation(4, 16), second.locate(script, position));
        assertEquals(new ScriptLocation(3, 1), second.locate(script, 0));
    }

    @Test
    void unterminatedConstructsRunToTheEnd() {
        assertEquals(List.of("select 'abc; select 2;"), sql("select 'abc; select 2;"));
        assertEquals(List.of("select $x$ abc; select 2;"), sql("select $x$ abc; select 2;"));
        assertEquals(List.of("select 1 /* abc; select 2;"), sql("select 1 /* abc; select 2;"));
    }

    @Test
    void parenthesesKeepSemicolonsInside() {
        // like psql: a ';' inside parentheses does not end the statement (the server reports the syntax error)
        assertEquals(List.of("select (1; 2)", "select 3"), sql("select (1; 2); select 3;"));
    }

    @Test
    void psqlMetaCommandsBecomeTheirOwnStatements() {
        List<SqlStatement> s = ScriptSplitter.split("\\connect other\nselect 1;\n\\set x 1\n");
        assertEquals(3, s.size());
        assertTrue(s.get(0).isPsqlMetaCommand());
        assertEquals("\\CONNECT", s.get(0).keyword());
        assertFalse(s.get(1).isPsqlMetaCommand());
        assertTrue(s.get(2).isPsqlMetaCommand());
    }

    @Test
    void leadingWordsSkipStringsAndPunctuation() {
        SqlStatement s = ScriptSplitter.split("CREATE /* x */ INDEX \"Quoted\" ON t USING btree (a) WHERE b = 'CONCURRENTLY'").get(0);
        assertEquals(List.of("CREATE", "INDEX", "ON", "T", "USING", "BTREE", "A", "WHERE"), s.leadingWords());
        assertFalse(s.cannotRunInTransaction());
    }

    @Test
    void namesTheExtensionACreateExtensionCreates() {
        List<SqlStatement> s = ScriptSplitter.split(
                "create extension if not exists moddatetime schema extensions; CREATE EXTENSION \"uuid-ossp\"; create table t (id int);");
        assertEquals("moddatetime", s.get(0).createdExtension());
        assertEquals("uuid-ossp", s.get(1).createdExtension());
        assertEquals(null, s.get(2).createdExtension());
    }

    @Test
    void longFirstLinesAreShortened() {
        SqlStatement s = ScriptSplitter.split("select " + "x, ".repeat(100) + "y").get(0);
        assertEquals(120, s.firstLine().length());
        assertTrue(s.firstLine().endsWith("…"));
    }
}
