package dev.backendteam.stack.cli;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ServerSentEventsTest {

    private static List<ServerSentEvents.Event> parse(ServerSentEvents parser, String stream) {
        List<ServerSentEvents.Event> events = new ArrayList<>();
        stream.lines().forEach(line -> parser.accept(line).ifPresent(events::add));
        // String.lines() drops a trailing empty line; a stream's final blank line still ends its event.
        if (stream.endsWith("\n\n") || stream.endsWith("\r\n\r\n")) {
            parser.accept("").ifPresent(events::add);
        }
        return events;
    }

    @Test
    void readsTheGatewaysEvents() {
        ServerSentEvents parser = new ServerSentEvents();
        List<ServerSentEvents.Event> events = parse(parser, """
                event: job.queued
                id: 1
                data: {"type":"job.queued"}

                id: 2
                event: step.started
                data: {"type":"step.started","step":1}

                """);
        assertEquals(List.of(new ServerSentEvents.Event("1", "job.queued", "{\"type\":\"job.queued\"}"),
                new ServerSentEvents.Event("2", "step.started", "{\"type\":\"step.started\",\"step\":1}")), events);
        assertEquals("2", parser.lastEventId());
    }

    @Test
    void followsTheRulesForDataCommentsAndSpaces() {
        ServerSentEvents parser = new ServerSentEvents();
        List<ServerSentEvents.Event> events = parse(parser, ": a comment, e.g. a keep-alive\r\n"
                + "data:first\r\n"
                + "data:  second, one space kept\r\n"
                + "retry: 1000\r\n"
                + "\r\n"
                + "event: only-a-name\r\n"
                + "\r\n"
                + "data\r\n"
                + "\r\n");
        assertEquals(List.of(new ServerSentEvents.Event(null, "message", "first\n second, one space kept"),
                new ServerSentEvents.Event(null, "message", "")), events,
                "no data: no event (and the name does not leak into the next); a bare 'data' is empty data");
        assertNull(parser.lastEventId());
    }

    @Test
    void theIdCarriesOverToLaterEventsAndAnEventWithoutBlankLineIsNotDispatched() {
        ServerSentEvents parser = new ServerSentEvents();
        assertEquals(List.of(), parse(parser, "id: 7\ndata: incomplete"));
        assertEquals("7", parser.lastEventId(), "Last-Event-ID resumes after the last id seen");
        assertEquals(List.of(new ServerSentEvents.Event("7", "message", "incomplete")), parse(parser, "\n\n"));
    }
}
