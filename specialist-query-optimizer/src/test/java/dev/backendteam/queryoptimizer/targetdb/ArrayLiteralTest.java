package dev.backendteam.queryoptimizer.targetdb;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ArrayLiteralTest {

    @Test
    void quotesEscapesNullsAndCommasInsideValues() {
        assertEquals(Arrays.asList("plain", "with space", "a,b", "say \"hi\"", "back\\slash", null, "NULL", "", "{x}"),
                ArrayLiteral.parse("{plain,\"with space\",\"a,b\",\"say \\\"hi\\\"\",\"back\\\\slash\",NULL,\"NULL\","
                        + "\"\",\"{x}\"}"));
    }

    @Test
    void emptyNullDecoratedAndNested() {
        assertEquals(List.of(), ArrayLiteral.parse("{}"));
        assertEquals(List.of(), ArrayLiteral.parse(null));
        assertEquals(List.of("1", "2"), ArrayLiteral.parse("[0:1]={1,2}"));
        assertEquals(List.of("{1,2}", "{\"a,b\",NULL}"), ArrayLiteral.parse("{{1,2},{\"a,b\",NULL}}"));
        assertEquals(List.of("0.1", "0.25"), ArrayLiteral.parse("{0.1,0.25}"));
        assertThrows(IllegalArgumentException.class, () -> ArrayLiteral.parse("not an array"));
        assertThrows(IllegalArgumentException.class, () -> ArrayLiteral.parse("{\"open}"));
    }
}
