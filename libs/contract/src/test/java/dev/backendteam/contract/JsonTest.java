package dev.backendteam.contract;

import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonTest {

    @ParameterizedTest
    @ValueSource(strings = {"5", "5.5", "true", "false", "-1", "1e3"})
    void strictReadingRefusesAScalarWhereTextIsExpected(String scalar) {
        MismatchedInputException e = assertThrows(MismatchedInputException.class,
                () -> Json.strict().readValue("{\"task\":" + scalar + "}", JobRequest.class));
        assertEquals("task", e.getPath().get(0).getFieldName());
        assertThrows(MismatchedInputException.class, () -> Json.strict().readValue(
                "{\"files\":[{\"path\":\"a\",\"content\":" + scalar + "}]}", JobRequest.class));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"5\"", "\"\"", "5.5", "true"})
    void strictReadingRefusesAnythingButAnIntegerWhereANumberIsExpected(String value) {
        MismatchedInputException e = assertThrows(MismatchedInputException.class,
                () -> Json.strict().readValue("{\"task\":\"x\",\"rowCounts\":{\"t\":" + value + "}}",
                        JobRequest.class));
        assertEquals("rowCounts", e.getPath().get(0).getFieldName());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Json.strict", "Json.strict().copy"})
    void strictReadingStillTakesTheRightTypes(String mapper) throws Exception {
        var reader = mapper.endsWith("copy") ? Json.strict().copy() : Json.strict();
        JobRequest request = reader.readValue("{\"task\":\"5\",\"rowCounts\":{\"t\":5}}", JobRequest.class);
        assertEquals("5", request.task());
        assertEquals(Map.of("t", 5L), request.rowCounts());
        assertThrows(MismatchedInputException.class, () -> reader.readValue("{\"task\":5}", JobRequest.class),
                "a copy keeps the strictness");
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "true"})
    void eventsStayLenient(String scalar) throws Exception {
        // a newer or sloppier producer between services is tolerated, as before
        JobRequest request = Json.events().readValue("{\"task\":" + scalar + ",\"rowCounts\":{\"t\":\"7\"}}",
                JobRequest.class);
        assertEquals(scalar, request.task());
        assertEquals(Map.of("t", 7L), request.rowCounts());
    }
}
