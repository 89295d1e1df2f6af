package dev.backendteam.dbarchitect.engine.sql;

/**
 * A possibly schema-qualified name as written; {@link #key()} qualifies an unqualified name with {@code public},
 * which is where migrations put tables unless they say otherwise.
 */
public record QName(String schema, String name, Token at) {

    public String key() {
        return (schema == null ? "public" : schema) + "." + name;
    }

    @Override
    public String toString() {
        return schema == null ? name : schema + "." + name;
    }
}
