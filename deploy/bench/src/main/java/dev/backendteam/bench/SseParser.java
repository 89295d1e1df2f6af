package dev.backendteam.bench;

import java.util.Optional;

/**
 * Server-Sent Events, line by line (the WHATWG event-stream rules the gateway's stream follows): {@code field:value}
 * with one optional space after the colon, {@code data} lines joined by newlines, a blank line dispatches, lines
 * starting with a colon are comments.
 */
final class SseParser {
    record Event(String id, String name, String data) {
    }

    private String id;
    private String name;
    private StringBuilder data;

    /** Feeds one line (without its terminator); returns the event a blank line completes. */
    Optional<Event> line(String line) {
        if (line.isEmpty()) {
            if (data == null) {
                name = null;
                return Optional.empty();
            }
            Event event = new Event(id, name == null ? "message" : name, data.toString());
            name = null;
            data = null;
            return Optional.of(event);
        }
        if (line.startsWith(":")) {
            return Optional.empty();
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "data" -> {
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            }
            case "event" -> name = value;
            case "id" -> id = value;
            default -> {
                // "retry" and unknown fields carry nothing the bench needs.
            }
        }
        return Optional.empty();
    }
}
