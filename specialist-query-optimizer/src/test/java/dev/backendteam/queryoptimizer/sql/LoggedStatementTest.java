package dev.backendteam.queryoptimizer.sql;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LoggedStatementTest {

    @Test
    void everyConstantOfTheLoggedCallBecomesAParameterAsPgStatStatementsShowsIt() {
        assertEquals("select * from orders where customer_id = $1 and status = $2 order by created_at desc",
                LoggedStatement.parameterized("select * from orders where customer_id = 42 and status = 'open'"
                        + " order by created_at desc"));
    }

    @Test
    void parametersItHasAreKeptAndTheNewOnesNumberedAfterThem() {
        assertEquals("select id from t where a = $1 and b = $2 limit $3",
                LoggedStatement.parameterized("select id from t where a = $1 and b = 'x' limit 20"));
    }

    @Test
    void typeModifiersPositionsAndTypedLiteralsStaySql() {
        assertEquals("select total::numeric(12, 2), status from orders where created_at > now() - $1::interval"
                        + " and note <> $2 group by 2, 1 order by 1 desc limit $3",
                LoggedStatement.parameterized("select total::numeric(12, 2), status from orders where created_at"
                        + " > now() - interval '7 days' and note <> 'it''s' group by 2, 1 order by 1 desc limit 10"));
    }

    @Test
    void aKeywordInsideAStringIsNotTakenForSql() {
        assertEquals("select a from t where a = $1", LoggedStatement.parameterized(
                "select a from t where a = 'order by 3'"));
    }

    @Test
    void theTablesAStatementReads() {
        assertEquals(List.of("orders", "public.customers", "line_items"), LoggedStatement.tables("select o.id from"
                + " orders o join public.customers c on c.id = o.customer_id where exists (select 1 from line_items"
                + " l where l.order_id = o.id)"));
        assertEquals(List.of("Orders"), LoggedStatement.tables("update \"Orders\" set x = 1 where id = 2"));
    }
}
