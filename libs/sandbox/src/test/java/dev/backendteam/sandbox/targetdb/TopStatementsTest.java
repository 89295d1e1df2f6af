package dev.backendteam.sandbox.targetdb;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TopStatementsTest {

    @Test
    void aTypedLiteralPgStatStatementsTurnedIntoAParameterBecomesACast() {
        assertEquals("select id from orders where status = $1 and created_at > now() - $2::interval order by"
                        + " created_at desc",
                TopStatements.preparable("select id from orders where status = $1 and created_at > now() - interval $2"
                        + " order by created_at desc"));
        assertEquals("select * from events where day >= $1::date and at < $2::timestamp with time zone",
                TopStatements.preparable("select * from events where day >= DATE $1 and at < timestamp with time"
                        + " zone $2"));
    }

    @Test
    void columnsNamedLikeTypesAndOrdinaryParametersStayAsTheyAre() {
        String q = "select date, text from notes n where n.date = $1 and \"interval\" > $2 and text = $3 limit $4";
        assertEquals(q, TopStatements.preparable(q));
    }
}
