package dev.backendteam.queryoptimizer.sql;

import dev.backendteam.queryoptimizer.sql.SqlToken.Kind;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A statement as a log shows it — one call, its values written in — turned into the statement the application runs:
 * every constant a parameter, numbered after the {@code $n} it has, as pg_stat_statements normalizes it. The values
 * of one call say nothing about the others (customer 42 is one customer), and the optimizer proves indexes against
 * the generic plan, the one every call can get. What stays: type modifiers ({@code ::numeric(10,2)}), positions in
 * ORDER BY and GROUP BY, and the type of a typed literal ({@code interval '1 day'} → {@code $1::interval}).
 */
public final class LoggedStatement {
    private static final Set<String> TYPED = Set.of("interval", "date", "timestamp", "timestamptz", "time", "timetz",
            "uuid", "jsonb", "json", "inet");
    private static final Set<String> LIST_ENDS = Set.of("limit", "offset", "having", "window", "for", "fetch",
            "union", "except", "intersect", "returning");

    /** Words after FROM that name no table (a subquery's SELECT, LATERAL, a function such as unnest). */
    private static final Set<String> NOT_TABLES = Set.of("select", "lateral", "unnest", "generate_series", "values",
            "with");

    private LoggedStatement() {
    }

    /** The statement with its constants as parameters; unchanged if PostgreSQL's scanner could not read it. */
    public static String parameterized(String sql) {
        SqlLexer.Scan scan = SqlLexer.scan(sql);
        if (!scan.complete()) {
            return sql;
        }
        List<SqlToken> tokens = scan.tokens();
        int next = SqlText.maxParameter(sql);
        StringBuilder out = new StringBuilder();
        int copied = 0;
        boolean positions = false;
        int modifierDepth = 0;
        for (int i = 0; i < tokens.size(); i++) {
            SqlToken t = tokens.get(i);
            String word = t.kind() == Kind.WORD ? t.text().toLowerCase(Locale.ROOT) : "";
            if (word.equals("by") && i > 0 && List.of("order", "group").contains(lower(tokens.get(i - 1)))) {
                positions = true;
                continue;
            }
            if (positions && (LIST_ENDS.contains(word) || t.text().equals(")") || t.text().equals(";"))) {
                positions = false;
            }
            // ::numeric(10, 2), ::varchar(20): a type's modifiers are not values
            if (t.text().equals("(") && i >= 2 && tokens.get(i - 2).text().equals("::")) {
                modifierDepth = 1;
                continue;
            }
            if (modifierDepth > 0) {
                modifierDepth += t.text().equals("(") ? 1 : t.text().equals(")") ? -1 : 0;
                continue;
            }
            boolean constant = t.kind() == Kind.STRING || t.kind() == Kind.NUMBER;
            boolean position = positions && t.kind() == Kind.NUMBER && i > 0
                    && (lower(tokens.get(i - 1)).equals("by") || tokens.get(i - 1).text().equals(","));
            if (!constant || position) {
                continue;
            }
            int from = t.start();
            String cast = "";
            if (t.kind() == Kind.STRING && i > 0 && tokens.get(i - 1).kind() == Kind.WORD
                    && TYPED.contains(lower(tokens.get(i - 1)))
                    && (i < 2 || !tokens.get(i - 2).text().equals("::"))) {
                from = tokens.get(i - 1).start();
                cast = "::" + lower(tokens.get(i - 1));
            }
            out.append(sql, copied, from).append('$').append(++next).append(cast);
            copied = t.end();
        }
        return out.append(sql.substring(copied)).toString();
    }

    /** The tables a statement names after FROM, JOIN, UPDATE, INTO (schema-qualified as written), each once. */
    public static List<String> tables(String sql) {
        List<SqlToken> tokens = SqlLexer.scan(sql).tokens();
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i + 1 < tokens.size(); i++) {
            String w = lower(tokens.get(i));
            if (!List.of("from", "join", "update", "into").contains(w)) {
                continue;
            }
            int j = i + 1;
            if (lower(tokens.get(j)).equals("only") && j + 1 < tokens.size()) {
                j++;
            }
            SqlToken name = tokens.get(j);
            if (name.kind() != Kind.WORD && name.kind() != Kind.QUOTED_IDENTIFIER) {
                continue;
            }
            String table = unquoted(name);
            if (j + 2 < tokens.size() && tokens.get(j + 1).text().equals(".")) {
                table = table + "." + unquoted(tokens.get(j + 2));
            }
            if (!NOT_TABLES.contains(table)) {
                out.add(table);
            }
        }
        return List.copyOf(out);
    }

    private static String unquoted(SqlToken t) {
        return t.kind() == Kind.QUOTED_IDENTIFIER ? t.text().substring(1, t.text().length() - 1).replace("\"\"", "\"")
                : t.text().toLowerCase(Locale.ROOT);
    }

    private static String lower(SqlToken t) {
        return t.kind() == Kind.WORD ? t.text().toLowerCase(Locale.ROOT) : t.text();
    }
}
