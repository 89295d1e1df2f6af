package dev.backendteam.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SseParserTest {

    private static List<SseParser.Event> feed(String... lines) {
        SseParser parser = new SseParser();
        List<SseParser.Event> events = new ArrayList<>();
        for (String line : lines) {
            parser.line(line).ifPresent(events::add);
        }
        return events;
    }

    @Test
    void fieldsWithAndWithoutTheSpaceAfterTheColon() {
        List<SseParser.Event> events = feed("id:3", "event: job.completed", "data:{\"a\":1}", "", "id: 4", "data: x", "");
        assertEquals(List.of(new SseParser.Event("3", "job.completed", "{\"a\":1}"),
                new SseParser.Event("4", "message", "x")), events);
    }

    @Test
    void dataLinesAreJoinedAndCommentsIgnored() {
        assertEquals(List.of(new SseParser.Event(null, "message", "a\nb")), feed(": keep-alive", "data: a", "data: b", ""));
    }

    @Test
    void aBlankLineWithoutDataDispatchesNothing() {
        assertEquals(List.of(), feed("event: ping", "", ""));
    }
}
