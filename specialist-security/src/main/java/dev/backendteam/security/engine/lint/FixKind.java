package dev.backendteam.security.engine.lint;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** What a finding's {@code fix} is: SQL to run, work for db-architect, or advice a person has to act on. */
public enum FixKind {
    /** The fix is SQL statements that clear the finding when run as the tables' owner. */
    SQL("sql", ""),
    /** The fix changes the table's design (a key, a column): db-architect writes that migration. */
    HANDOFF_DB_ARCHITECT("handoff-db-architect", "Hand off to db-architect (no SQL fix here): "),
    /** Only the person who knows the intended access can fix it; the fix is a sentence. */
    ADVICE("advice", "Advice (no SQL fix): "),
    /** Nothing to fix: the finding reports that something is correct as it is. */
    NONE("none", "");

    private final String wire;
    private final String prefix;

    FixKind(String wire, String prefix) {
        this.wire = wire;
        this.prefix = prefix;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    /** How a fix of this kind starts, so that a reader of the finding alone can tell SQL from a sentence. */
    public String prefix() {
        return prefix;
    }

    @JsonCreator
    public static FixKind of(String wire) {
        for (FixKind k : values()) {
            if (k.wire.equals(wire.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown fixKind " + wire + " (sql, handoff-db-architect, advice, none)");
    }
}
