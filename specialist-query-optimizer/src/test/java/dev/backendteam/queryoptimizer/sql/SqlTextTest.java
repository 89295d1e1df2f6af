package dev.backendteam.queryoptimizer.sql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lexical facts of a query read through the one lexer: what is inside a constant or a comment never counts. */
class SqlTextTest {
    private static final Pattern OFFSET = Pattern.compile("(?i)\\boffset\\s+(\\$\\d+|[1-9]\\d*)");

    @Test
    void parametersAreCountedOutsideStringsDollarQuotesAndComments() {
        assertEquals(3, SqlText.maxParameter("select * from t where a = $1 and b in ($3, $2)"));
        assertEquals(1, SqlText.maxParameter("select $$ costs $9 $$, a from t where b = $1"));
        assertEquals(1, SqlText.maxParameter("select $body$ $7 $body$ from t where b = $1"));
        assertEquals(1, SqlText.maxParameter("select E'it\\'s $5' from t where b = $1"));
        assertEquals(1, SqlText.maxParameter("select '$4', \"$6\" from t /* $8 */ where b = $1 -- $9"));
        assertEquals(0, SqlText.maxParameter("select price$1 from t"), "a $ inside a name is part of the name");
        assertEquals(0, SqlText.maxParameter("select 1"));
    }

    @Test
    void aQuestionMarkIsDoubledForJdbcOnlyWhereItIsAnOperator() {
        assertEquals("select doc ?? 'a?' from t where doc ??| array['b?']",
                SqlText.forJdbc("select doc ? 'a?' from t where doc ?| array['b?']"));
        assertEquals("select $$ is it? $$, doc ?? 'k' from t", SqlText.forJdbc("select $$ is it? $$, doc ? 'k' from t"));
        assertEquals("select E'\\'?' from t /* ? */", SqlText.forJdbc("select E'\\'?' from t /* ? */"));
    }

    @Test
    void codeKeepsPositionsAndBlanksConstantsIdentifiersAndComments() {
        String sql = "select 'offset 5', E'x\\'y', $q$ a $q$, \"offset 1\" -- offset 2\n from t /* a /* b */ c */";
        String code = SqlText.code(sql);
        assertEquals(sql.length(), code.length());
        assertEquals("select '        ', '     ', '       ', \"        \"            \n from t" + " ".repeat(18), code);
    }

    @Test
    void aKeywordInsideANestedCommentOrADollarQuoteIsNoFinding() {
        assertTrue(SqlText.matches("select * from t order by id offset 20", OFFSET));
        assertFalse(SqlText.matches("select * from t /* paged /* later */ offset 20 */ order by id", OFFSET));
        assertFalse(SqlText.matches("select $$ offset 20 $$ from t", OFFSET));
    }

    @Test
    void theParameterOfLimitAndOffset() {
        String sql = "select * from t where a = $1 order by id limit $2 offset $3";
        assertEquals(2, SqlText.parameterAfter(sql, "limit"));
        assertEquals(3, SqlText.parameterAfter(sql, "offset"));
        assertEquals(0, SqlText.parameterAfter("select 'limit $2' from t", "limit"));
    }

    @Test
    void textPostgresqlWouldRejectIsStillBlankedToItsEnd() {
        assertEquals("select '    '", SqlText.code("select 'open "));
        assertEquals("select 1        ", SqlText.code("select 1 /* open"));
        assertEquals(0, SqlText.maxParameter("select 'open $1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "select 1", "select 1;", "select 1;;", "  (select id from t) union (select id from u)",
            "with x as (select 1) select * from x", "values (1), (2)", "table t",
            "select count(*) from t where label = 'update'", "select \"delete\" from t", "select 1 -- delete",
            "select $$ drop table t; $$", "select E'\\'; delete from t; ' from t", "select updated_at from t",
            "select café from t", "select * from t for each"})
    void aSingleReadOnlySelect(String sql) {
        assertTrue(SqlText.isReadOnlySelect(sql), sql);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "delete from t where id = $1", "select 1; delete from t", "select 1; select 2",
            "with d as (delete from t returning id) select * from d", "select * into copy from t",
            "select * from t for update", "select * from t for share", "select * from t for no key update",
            "select * from t for key share", "do $$ begin end $$", "explain select 1", "\"select\" 1", "",
            // text PostgreSQL cannot scan is vouched for by no one
            "select 'open", "select 1 /* open", "select \\x from t"})
    void notASingleReadOnlySelect(String sql) {
        assertFalse(SqlText.isReadOnlySelect(sql), sql);
    }

    @Test
    void aTrailingSemicolonGoes() {
        assertEquals("select 1", SqlText.withoutTrailingSemicolon(" select 1 ; ;\n"));
    }

    @Test
    void aLiteralHasItsQuotesDoubled() {
        assertEquals("'it''s'", SqlText.literal("it's"));
        assertEquals("null", SqlText.literal(null));
    }
}
