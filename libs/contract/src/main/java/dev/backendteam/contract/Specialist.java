package dev.backendteam.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The specialist services, those that exist today and those the brief plans. */
public enum Specialist {
    DB_ARCHITECT("db-architect", true),
    SECURITY("security", true),
    QUERY_OPTIMIZER("query-optimizer", true),
    OPS("ops", true),
    API_DATA("api-data", false),
    EDGE_FUNCTIONS("edge-functions", false),
    WEBSOCKET("websocket", false);

    private final String id;
    private final boolean available;

    Specialist(String id, boolean available) {
        this.id = id;
        this.available = available;
    }

    @JsonValue
    public String id() {
        return id;
    }

    /** False for services the brief names but that are not built yet; their steps are reported, not sent. */
    public boolean available() {
        return available;
    }

    @JsonCreator
    public static Specialist of(String id) {
        for (Specialist s : values()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown specialist '" + id + "'");
    }
}
