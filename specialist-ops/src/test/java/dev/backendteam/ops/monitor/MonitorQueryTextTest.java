package dev.backendteam.ops.monitor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** QueryText: a session's query text with its literals replaced by $n, names, comments and parameters kept. */
class MonitorQueryTextTest {

    @Test
    void stringAndNumericLiteralsBecomeParameters() {
        assertEquals("select * from users where email = $1 and id > $2 limit $3",
                QueryText.redact("select * from users where email = 'alice@example.com' and id > 42 limit 10"));
        assertEquals("select $1, $2, $3, $4", QueryText.redact("select 1.5, .5, 1e-3, 0xFF"));
        assertEquals("update t set a = $1 where b = $2", QueryText.redact("update t set a = 'it''s' where b = -7")
                .replace("-$2", "$2"));
    }

    @Test
    void prefixedEscapedAndDollarQuotedStringsAreOneLiteral() {
        assertEquals("select $1, $2, $3, $4", QueryText.redact("select E'a\\'b', B'0101', U&'d\\0061t', $$x'y$$"));
        assertEquals("select $1 as token", QueryText.redact("select $tag$s3cr3t $ $tag$ as token"));
    }

    @Test
    void namesCommentsQuotedIdentifiersAndParametersAreKept() {
        assertEquals("select t1.col2, \"Tab 3\".x from t1, \"Tab 3\" where t1.a = $1 and t1.b = $2 /* app 'x' */",
                QueryText.redact("select t1.col2, \"Tab 3\".x from t1, \"Tab 3\" where t1.a = $1 and t1.b = 5"
                        + " /* app 'x' */"));
        assertEquals("select e, b, x from t where e = $1", QueryText.redact("select e, b, x from t where e = 'q'"));
    }

    @Test
    void aLiteralCutShortByTruncationIsReplacedToTheEnd() {
        assertEquals("insert into t values ($1", QueryText.redact("insert into t values ('tok_abcdef"));
        assertNull(QueryText.redact(null));
    }
}
