package dev.backendteam.dbarchitect.engine.fix;

import dev.backendteam.contract.Diagnosis;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a diagnosis says is missing: a relation (42P01: {@code comments}, {@code public.comments}) or a column
 * (42703: {@code body}, {@code comments.body}, {@code c.body} — where the qualifier may be an alias —,
 * {@code billing.invoices.total}). Taken from the diagnosis's object, else from its error text as PostgreSQL words it
 * (also JSON-escaped, as PostgREST returns it). Names keep their case: the server prints them resolved.
 */
public record DiagnosedObject(Kind kind, String sqlState, String schema, String qualifier, String name) {

    public enum Kind {
        RELATION("42P01", "postgres.undefined-table"), COLUMN("42703", "postgres.undefined-column");

        final String sqlState;
        final String rule;

        Kind(String sqlState, String rule) {
            this.sqlState = sqlState;
            this.rule = rule;
        }
    }

    private static final Pattern COLUMN_OF = Pattern.compile(
            "column \\\\?\"([^\"\\\\]+)\\\\?\" of relation \\\\?\"([^\"\\\\]+)\\\\?\" does not exist");
    private static final Pattern COLUMN_QUOTED = Pattern.compile("column \\\\?\"([^\"\\\\]+)\\\\?\" does not exist");
    private static final Pattern COLUMN_DOTTED = Pattern.compile("column ([\\w$]+(?:\\.[\\w$]+)+) does not exist");
    private static final Pattern RELATION = Pattern.compile("relation \\\\?\"([^\"\\\\]+)\\\\?\" does not exist");

    /** Whether db-architect acts on this diagnosis: a missing relation or column. */
    public static boolean concerns(Diagnosis d) {
        return kindOf(d).isPresent();
    }

    private static Optional<Kind> kindOf(Diagnosis d) {
        for (Kind k : Kind.values()) {
            if (k.rule.equals(d.rule()) || k.sqlState.equals(d.sqlstate())) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /** The object, or empty when neither the diagnosis's object nor its error text names one. */
    public static Optional<DiagnosedObject> of(Diagnosis d) {
        Kind kind = kindOf(d).orElse(null);
        if (kind == null) {
            return Optional.empty();
        }
        String sqlState = d.sqlstate() == null ? kind.sqlState : d.sqlstate();
        String object = d.object() != null && !d.object().isBlank() ? d.object().strip() : fromError(kind, d.error());
        if (object == null) {
            return Optional.empty();
        }
        List<String> parts = split(object);
        if (kind == Kind.RELATION) {
            return Optional.of(parts.size() >= 2
                    ? new DiagnosedObject(kind, sqlState, parts.get(parts.size() - 2), null, parts.get(parts.size() - 1))
                    : new DiagnosedObject(kind, sqlState, null, null, parts.get(0)));
        }
        return Optional.of(switch (parts.size()) {
            case 1 -> new DiagnosedObject(kind, sqlState, null, null, parts.get(0));
            case 2 -> new DiagnosedObject(kind, sqlState, null, parts.get(0), parts.get(1));
            default -> new DiagnosedObject(kind, sqlState, parts.get(parts.size() - 3), parts.get(parts.size() - 2),
                    parts.get(parts.size() - 1));
        });
    }

    private static String fromError(Kind kind, String error) {
        if (error == null) {
            return null;
        }
        if (kind == Kind.COLUMN) {
            Matcher m = COLUMN_OF.matcher(error);
            if (m.find()) {
                return m.group(2) + "." + m.group(1);
            }
            m = COLUMN_QUOTED.matcher(error);
            if (m.find()) {
                return m.group(1);
            }
            m = COLUMN_DOTTED.matcher(error);
            return m.find() ? m.group(1) : null;
        }
        Matcher m = RELATION.matcher(error);
        return m.find() && !error.substring(0, m.start()).endsWith("of ") ? m.group(1) : null;
    }

    /** {@code a.b}, {@code "A"."b.c"}: splits at dots outside double quotes and unquotes. */
    static List<String> split(String object) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < object.length(); i++) {
            char c = object.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < object.length() && object.charAt(i + 1) == '"') {
                    part.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (c == '.' && !quoted) {
                parts.add(part.toString());
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        parts.add(part.toString());
        return parts;
    }

    public boolean isColumn() {
        return kind == Kind.COLUMN;
    }

    /** As the error names it: {@code comments}, {@code public.comments}, {@code c.body}. */
    public String written() {
        return (schema == null ? "" : schema + ".") + (qualifier == null ? "" : qualifier + ".") + name;
    }
}
