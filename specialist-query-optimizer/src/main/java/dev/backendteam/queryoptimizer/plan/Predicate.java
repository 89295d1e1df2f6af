package dev.backendteam.queryoptimizer.plan;

import dev.backendteam.queryoptimizer.sql.SqlText;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One conjunct of a scan's condition as the planner deparsed it ({@code (c.post_id = $1)}), seen from the scanned
 * relation: its key (a column, or an expression over the relation's columns such as {@code lower(email)}), the
 * operator and what it is compared with.
 *
 * @param key      the column or expression, with the relation's alias removed: {@code post_id}, {@code lower(email)}
 * @param column   whether {@code key} is a plain column
 * @param op       the operator, with the key on its left: {@code =}, {@code <>}, {@code <}, {@code >=}, {@code ~~*},
 *                 {@code = ANY}, {@code IS NULL}, {@code IS NOT NULL}
 * @param operand  what the key is compared with
 * @param text     the conjunct as deparsed, alias removed (a partial index's predicate is written from it)
 */
public record Predicate(String key, boolean column, String op, Operand operand, String text) {

    /** What a key is compared with. */
    public enum Operand {
        /** A {@code $n}: the value comes at run time. */
        PARAMETER,
        /** A literal: the same in every call (a partial index's predicate). */
        CONSTANT,
        /** A column of another relation: a join key. */
        OUTER,
        /** {@code IS [NOT] NULL}: nothing. */
        NONE
    }

    private static final Pattern COLUMN = Pattern.compile("([A-Za-z_][\\w$]*|\"(?:[^\"]|\"\")+\")\\.([A-Za-z_][\\w$]*"
            + "|\"(?:[^\"]|\"\")+\")");
    private static final Pattern PARAMETER = Pattern.compile("\\(?\\$\\d+\\)?(::[\\w .\\[\\]\"]+)?");
    private static final Pattern INIT_PLAN = Pattern.compile("\\(InitPlan \\d+\\)\\.col\\d+");
    /** {@code (t.email)::text}: a varchar column the planner casts to text for the operator, still the column. */
    private static final Pattern TEXT_CAST = Pattern.compile("\\(([A-Za-z_][\\w$]*\\.[A-Za-z_][\\w$]*)\\)::(text|character varying)");
    private static final List<String> OPERATORS = List.of(" = ANY ", " <> ALL ", " IS NOT NULL", " IS NULL", " <= ",
            " >= ", " <> ", " !~~* ", " !~~ ", " ~~* ", " ~~ ", " = ", " < ", " > ");
    private static final java.util.Map<String, String> FLIPPED = java.util.Map.of("<", ">", ">", "<", "<=", ">=",
            ">=", "<=", "=", "=", "<>", "<>");

    public boolean isEquality() {
        return (op.equals("=") || op.equals("= ANY")) && operand != Operand.NONE;
    }

    public boolean isRange() {
        return op.equals("<") || op.equals(">") || op.equals("<=") || op.equals(">=");
    }

    /** {@code LIKE} / {@code ILIKE} with a pattern that may start with a wildcard: only a trigram index serves it. */
    public boolean isPatternMatch() {
        return op.equals("~~") || op.equals("~~*");
    }

    /** A predicate that is the same in every call: the WHERE of a partial index. */
    public boolean isConstant() {
        return operand == Operand.CONSTANT || operand == Operand.NONE;
    }

    /**
     * The conjuncts of {@code condition} that read {@code alias}'s columns and can be tied to one key of it;
     * disjunctions, sub-plans and conditions over several columns of the relation are left out.
     */
    public static List<Predicate> of(String condition, String alias) {
        List<Predicate> out = new ArrayList<>();
        if (condition == null || alias == null) {
            return out;
        }
        for (String conjunct : conjuncts(condition)) {
            Predicate p = one(conjunct, alias);
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }

    /** A condition split on its top-level ANDs, each part without its outer parentheses. */
    public static List<String> conjuncts(String condition) {
        List<String> parts = new ArrayList<>();
        String c = unwrap(condition.strip());
        String code = SqlText.code(c);
        int depth = 0;
        int start = 0;
        for (int i = 0; i < code.length(); i++) {
            char ch = code.charAt(i);
            if (ch == '(') {
                depth++;
            } else if (ch == ')') {
                depth--;
            } else if (depth == 0 && code.startsWith(" AND ", i)) {
                parts.add(unwrap(c.substring(start, i).strip()));
                start = i + 5;
            }
        }
        parts.add(unwrap(c.substring(start).strip()));
        return parts;
    }

    private static Predicate one(String conjunct, String alias) {
        if (topLevel(conjunct, " OR ") >= 0 || conjunct.contains("SubPlan")) {
            return null;
        }
        for (String op : OPERATORS) {
            int at = topLevel(conjunct, op);
            if (at < 0) {
                continue;
            }
            String left = unwrap(conjunct.substring(0, at).strip());
            String right = unwrap(conjunct.substring(at + op.length()).strip());
            String operator = op.strip();
            if (operator.startsWith("IS ")) {
                Side l = side(left, alias);
                return l == null || l.kind != Operand.CONSTANT ? null
                        : new Predicate(l.key, l.column, operator, Operand.NONE, strip(conjunct, alias));
            }
            Side l = side(left, alias);
            Side r = side(right, alias);
            if (l != null && l.kind == Operand.CONSTANT && l.key != null && (r == null || r.key == null)) {
                return new Predicate(l.key, l.column, operator, operand(right, alias), strip(conjunct, alias));
            }
            if (r != null && r.key != null && FLIPPED.containsKey(operator) && (l == null || l.key == null)) {
                return new Predicate(r.key, r.column, FLIPPED.get(operator), operand(left, alias),
                        strip(conjunct, alias));
            }
            return null;
        }
        return null;
    }

    /** Which key of {@code alias} a side of a comparison is (kind CONSTANT marks "ours"), or null. */
    private record Side(String key, boolean column, Operand kind) {
    }

    private static Side side(String raw, String alias) {
        Matcher cast = TEXT_CAST.matcher(raw);
        String expr = cast.matches() ? cast.group(1) : raw;
        List<String> aliases = aliases(expr);
        if (aliases.isEmpty() || !aliases.stream().allMatch(a -> a.equals(alias))) {
            return null;
        }
        Matcher m = COLUMN.matcher(expr);
        int columns = 0;
        while (m.find()) {
            columns++;
        }
        boolean plain = COLUMN.matcher(expr).matches();
        if (!plain && (columns != 1 || expr.contains("$"))) {
            return null;
        }
        return new Side(plain ? unquote(expr.substring(expr.indexOf('.') + 1)) : strip(expr, alias), plain,
                Operand.CONSTANT);
    }

    private static Operand operand(String expr, String alias) {
        // (InitPlan 1).col1 is PostgreSQL 17's name for a (select auth.uid()) computed once: a value per call
        if (PARAMETER.matcher(expr).matches() || (expr.contains("$") && aliases(expr).isEmpty())
                || INIT_PLAN.matcher(expr).matches()) {
            return Operand.PARAMETER;
        }
        List<String> aliases = aliases(expr);
        if (!aliases.isEmpty() && aliases.stream().noneMatch(a -> a.equals(alias))) {
            return Operand.OUTER;
        }
        return Operand.CONSTANT;
    }

    /** The aliases qualifying column references outside literals. */
    private static List<String> aliases(String expr) {
        List<String> out = new ArrayList<>();
        Matcher m = COLUMN.matcher(SqlText.code(expr));
        while (m.find()) {
            String before = m.start() > 0 ? expr.substring(m.start() - 1, m.start()) : "";
            if (before.equals(":") || before.equals(".")) {
                continue;
            }
            // matched on the blanked text (no literal counts), read from the original (a quoted alias keeps its name)
            out.add(unquote(expr.substring(m.start(1), m.end(1))));
        }
        return out;
    }

    private static String unquote(String name) {
        return name.startsWith("\"") ? name.substring(1, name.length() - 1).replace("\"\"", "\"") : name;
    }

    /**
     * The expression with {@code alias.} removed from its column references, never from inside a literal
     * ({@code e.kind = 'page.view'} keeps its value).
     */
    static String strip(String expr, String alias) {
        String quoted = alias.equals(alias.toLowerCase(Locale.ROOT)) && alias.matches("[a-z_][a-z0-9_$]*") ? alias
                : "\"" + alias.replace("\"", "\"\"") + "\"";
        String prefix = quoted + ".";
        String code = SqlText.code(expr);
        StringBuilder out = new StringBuilder(expr.length());
        int i = 0;
        while (i < expr.length()) {
            boolean boundary = i == 0 || !Character.isLetterOrDigit(code.charAt(i - 1)) && code.charAt(i - 1) != '_'
                    && code.charAt(i - 1) != '.';
            // inside a literal the code text is blanked: a prefix there differs from the expression's characters
            if (boundary && expr.startsWith(prefix, i) && code.charAt(i) == expr.charAt(i)) {
                i += prefix.length();
            } else {
                out.append(expr.charAt(i));
                i++;
            }
        }
        return out.toString();
    }

    /** Index of {@code token} outside parentheses and literals, or -1. */
    static int topLevel(String s, String token) {
        String code = SqlText.code(s);
        int depth = 0;
        for (int i = 0; i < code.length(); i++) {
            char ch = code.charAt(i);
            if (ch == '(') {
                depth++;
            } else if (ch == ')') {
                depth--;
            } else if (depth == 0 && code.startsWith(token, i)) {
                return i;
            }
        }
        return -1;
    }

    /** {@code (x)} → {@code x} while the parentheses enclose the whole text. */
    static String unwrap(String s) {
        String t = s;
        while (t.startsWith("(") && t.endsWith(")") && closes(t)) {
            t = t.substring(1, t.length() - 1).strip();
        }
        return t;
    }

    private static boolean closes(String t) {
        String code = SqlText.code(t);
        int depth = 0;
        for (int i = 0; i < code.length(); i++) {
            char ch = code.charAt(i);
            if (ch == '(') {
                depth++;
            } else if (ch == ')') {
                depth--;
                if (depth == 0 && i < t.length() - 1) {
                    return false;
                }
            }
        }
        return true;
    }
}
