package dev.backendteam.dbarchitect.engine;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SqlStatementsTest {

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "create table a (id int); create table b (id int); | 2",
            "select 1 | 1",
            "select 1; select 2 | 2",
            "` ` | 0",
            ";; ; | 0",
            "insert into t values ('a;b'), ('it''s;'); | 1",
            "insert into t values (E'a\\';b'); select 1; | 2",
            "create table \"odd;name\" (id int); | 1",
            "-- drop table x;\\ncreate table y (); | 1",
            "/* a /* nested; */ still a comment; */ select 1; | 1",
            "create function f() returns int as $$ begin return 1; end; $$ language plpgsql; | 1",
            "do $body$ begin perform 1; perform 2; end $body$; select 1; | 2",
            "select $1::int; select a$b$c from t; | 2",
            "select 1; -- trailing comment only | 1" })
    void countsStatementsLikePsqlSplitsThem(String sql, int expected) {
        assertEquals(expected, SqlStatements.count(sql.replace("\\n", "\n")));
    }
}
