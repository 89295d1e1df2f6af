package dev.backendteam.queryoptimizer.sql;

import dev.backendteam.queryoptimizer.sql.SqlToken.Kind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqlLexerTest {

    private static List<Kind> kinds(String sql) {
        return SqlLexer.scan(sql).tokens().stream().map(SqlToken::kind).toList();
    }

    @Test
    void everyFormOfConstantIsOneToken() {
        assertEquals(List.of(Kind.WORD, Kind.STRING, Kind.PUNCTUATION, Kind.STRING, Kind.PUNCTUATION, Kind.STRING,
                Kind.PUNCTUATION, Kind.STRING, Kind.PUNCTUATION, Kind.QUOTED_IDENTIFIER),
                kinds("select 'a''b', E'c\\'d', $t$ e $ f $t$, U&'\\0041', \"g\"\"h\""));
    }

    @Test
    void parametersNumbersAndOperators() {
        assertEquals(List.of(Kind.WORD, Kind.PARAMETER, Kind.OPERATOR, Kind.NUMBER, Kind.OPERATOR, Kind.WORD),
                kinds("select $12 + 1.5e-3::int"));
        assertEquals(List.of(Kind.WORD, Kind.WORD), kinds("select a$1"), "a $ continues a name");
    }

    @Test
    void whatPostgresqlWouldRejectIsScannedToTheEndButNotTokenized() {
        for (String sql : List.of("select 'open", "select \"open", "select $$ open", "select 1 /* a /* b */",
                "select \\x", "select $ 1")) {
            SqlLexer.Scan scan = SqlLexer.scan(sql);
            assertFalse(scan.complete(), sql);
            assertEquals(Optional.empty(), SqlLexer.tokenize(sql), sql);
        }
        assertEquals(List.of(Kind.WORD, Kind.STRING), kinds("select 'open"));
        assertEquals(List.of(Kind.WORD, Kind.OTHER, Kind.WORD), kinds("select \\x"));
        assertTrue(SqlLexer.scan("select 1 /* a /* b */ c */").complete());
    }
}
