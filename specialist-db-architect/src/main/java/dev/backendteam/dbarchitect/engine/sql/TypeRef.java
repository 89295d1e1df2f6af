package dev.backendteam.dbarchitect.engine.sql;

/**
 * A column type as written, with its base name canonicalised ({@code character varying} → {@code varchar},
 * {@code int4} → {@code integer}, {@code timestamp with time zone} → {@code timestamptz}…). {@code modifiers} is
 * the parenthesised part, e.g. {@code (12,2)}, or empty.
 */
public record TypeRef(String base, String modifiers, boolean array, String written, Token at) {

    public boolean isAny(String... bases) {
        for (String b : bases) {
            if (base.equals(b)) {
                return true;
            }
        }
        return false;
    }

    public boolean isSerial() {
        return isAny("serial", "bigserial", "smallserial");
    }

    /** 32- or 16-bit integers: too small for keys of tables that grow. */
    public boolean isSmallInteger() {
        return !array && isAny("integer", "smallint", "serial", "smallserial");
    }

    public boolean isFixedLengthText() {
        return isAny("varchar", "char");
    }
}
