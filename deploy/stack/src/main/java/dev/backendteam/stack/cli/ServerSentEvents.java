package dev.backendteam.stack.cli;

import java.util.Optional;

/**
 * Reads a {@code text/event-stream} line by line (the WHATWG rules): {@code event:}, {@code data:} (several lines
 * are joined with a newline), {@code id:}, comments ({@code :…}) and {@code retry:} are understood; a blank line
 * ends an event. Feed it lines without their line terminator.
 */
public final class ServerSentEvents {

    /** One event; {@code name} is "message" when the stream gave none, {@code id} null when it gave none. */
    public record Event(String id, String name, String data) {
    }

    private String lastId;
    private String name;
    private StringBuilder data;

    /** The event this line completes, if it is the blank line after one. */
    public Optional<Event> accept(String line) {
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        if (line.isEmpty()) {
            return dispatch();
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
            case "event" -> name = value;
            case "data" -> {
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            }
            case "id" -> {
                if (!value.contains("\0")) {
                    lastId = value;
                }
            }
            default -> {
                // "retry" and unknown fields: nothing this client needs.
            }
        }
        return Optional.empty();
    }

    /** The last event id seen, for {@code Last-Event-ID} when reconnecting; null before any. */
    public String lastEventId() {
        return lastId;
    }

    private Optional<Event> dispatch() {
        if (data == null) {
            name = null;
            return Optional.empty();
        }
        Event event = new Event(lastId, name == null || name.isEmpty() ? "message" : name, data.toString());
        name = null;
        data = null;
        return Optional.of(event);
    }
}
