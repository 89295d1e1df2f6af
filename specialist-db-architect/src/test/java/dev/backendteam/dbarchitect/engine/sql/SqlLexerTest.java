package dev.backendteam.dbarchitect.engine.sql;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqlLexerTest {

    private static List<String> texts(String sql) {
        return SqlLexer.lex(sql).tokens().stream().map(Token::text).toList();
    }

    @Test
    void quotesCommentsAndDollarBodiesAreSingleUnits() {
        assertEquals(List.of("select", "'a;b'", ",", "E'it\\'s'", ",", "\"odd;\"\"name\"", ",", "$f$ x; $$ y $f$",
                ",", "$1", ",", "a$b"), texts("select 'a;b', E'it\\'s', \"odd;\"\"name\", /* c; /* nested */ */"
                + " $f$ x; $$ y $f$, $1, a$b -- trailing; comment"));
    }

    @Test
    void tokensKnowTheirLineAndColumn() {
        List<Token> tokens = SqlLexer.lex("create table t (\n  id uuid\n);").tokens();
        Token id = tokens.stream().filter(t -> t.text().equals("id")).findFirst().orElseThrow();
        assertEquals(2, id.line());
        assertEquals(3, id.column());
        assertEquals("id", id.name());
        assertEquals("Odd Name", SqlLexer.lex("\"Odd Name\"").tokens().get(0).name());
        assertEquals("mixed", SqlLexer.lex("MiXeD").tokens().get(0).name());
    }

    @Test
    void unterminatedTextIsAProblemAtItsStartNotAnException() {
        SqlLexer.Result r = SqlLexer.lex("select 1;\nselect $body$ never closed");
        assertEquals(1, r.problems().size());
        assertEquals(2, r.problems().get(0).line());
        assertTrue(r.problems().get(0).message().contains("dollar-quoted"));
        assertEquals("unterminated /* comment", SqlLexer.lex("/* /* */").problems().get(0).message());
        assertTrue(SqlLexer.lex("'abc").problems().get(0).message().startsWith("unterminated string"));
    }

    @Test
    void operatorsStopBeforeAComment() {
        assertEquals(List.of("a", "<>", "b", "::", "int"), texts("a <>-- comment\n b::int"));
    }

    @Test
    void statementsAreSplitOutsideQuotes() {
        SqlScript script = SqlScript.parse("create function f() returns int as $$ begin return 1; end $$"
                + " language plpgsql;\n\ninsert into t values ('a;b');");
        assertEquals(2, script.statements().size());
        assertEquals(3, script.statements().get(1).line());
        assertEquals("insert into t values ('a;b')", script.statements().get(1).text());
    }
}
