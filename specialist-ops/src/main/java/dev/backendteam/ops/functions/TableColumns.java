package dev.backendteam.ops.functions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The columns a function may insert, per table, read from the {@code Insert} types of {@code database.types.ts} (the
 * shape of {@code supabase gen types typescript}, which db-architect emits): a column without {@code ?} is required.
 * The same file goes with the functions, so {@code deno check} proves every row the functions write against it.
 */
public final class TableColumns {
    public record Column(String name, String ts, boolean required) {
    }

    private static final Pattern TABLE = Pattern.compile("^ {6}([a-z_][a-z0-9_]*): \\{$");
    private static final Pattern COLUMN = Pattern.compile("^ {10}([a-z_][a-z0-9_]*)(\\??): (.+)$");

    private TableColumns() {
    }

    /** Table → its insertable columns; only tables under {@code public.Tables}. */
    public static Map<String, List<Column>> parse(String databaseTypes) {
        Map<String, List<Column>> tables = new LinkedHashMap<>();
        String table = null;
        boolean insert = false;
        boolean inTables = false;
        List<Column> columns = null;
        for (String line : databaseTypes.split("\n")) {
            if (line.equals("    Tables: {")) {
                inTables = true;
                continue;
            }
            if (inTables && line.equals("    }")) {
                break;
            }
            if (!inTables) {
                continue;
            }
            Matcher t = TABLE.matcher(line);
            if (t.matches()) {
                table = t.group(1);
                columns = new ArrayList<>();
                tables.put(table, columns);
                continue;
            }
            if (table != null && line.equals("        Insert: {")) {
                insert = true;
                continue;
            }
            if (insert && line.equals("        }")) {
                insert = false;
                continue;
            }
            Matcher c = COLUMN.matcher(line);
            if (insert && c.matches() && !c.group(3).equals("never")) {
                String ts = c.group(3).replace(" | null", "");
                columns.add(new Column(c.group(1), ts, c.group(2).isEmpty()));
            }
        }
        tables.replaceAll((k, v) -> List.copyOf(v));
        return tables;
    }
}
