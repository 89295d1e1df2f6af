package dev.backendteam.dbarchitect.engine.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads what a statement does to the schema (see {@link Ddl}) from its tokens. Not a full SQL grammar: it recognises
 * the statements migrations are made of and returns {@link Ddl.Other} for the rest, or for text it cannot follow.
 * It never throws on odd input; the database (in the sandbox) remains the judge of validity.
 */
public final class DdlParser {
    private static final Set<String> COLUMN_CONSTRAINT_WORDS = Set.of("constraint", "not", "null", "default",
            "primary", "unique", "check", "references", "generated", "collate", "deferrable", "initially");
    private static final Set<String> TABLE_CONSTRAINT_WORDS = Set.of("constraint", "primary", "unique", "check",
            "foreign", "exclude");

    private DdlParser() {
    }

    public static Ddl parse(Statement statement) {
        try {
            return read(new TokenCursor(statement.tokens()));
        } catch (RuntimeException e) {
            // The readers guard every look-ahead; reaching this is a bug in them, and the statement is then simply
            // not modelled. The lints that need the model skip it; none of them is silenced wrongly by that.
            return new Ddl.Other(statement.command());
        }
    }

    private static Ddl read(TokenCursor c) {
        Token first = c.peek();
        if (first == null) {
            return new Ddl.Other("");
        }
        if (c.accept("create")) {
            return create(c);
        }
        if (c.accept("alter", "table")) {
            return alterTable(c);
        }
        if (c.accept("drop")) {
            return drop(c);
        }
        if (c.accept("truncate")) {
            c.accept("table");
            List<QName> tables = new ArrayList<>();
            while (!c.atEnd()) {
                c.accept("only");
                QName q = c.qname();
                if (q == null) {
                    break;
                }
                tables.add(q);
                if (!c.accept(TokenType.COMMA)) {
                    break;
                }
            }
            return new Ddl.Truncate(tables, c.contains("cascade"));
        }
        if (c.isWord("begin") || c.isWord("start", "transaction")) {
            return new Ddl.Begin();
        }
        if (c.isWord("commit") || c.isWord("end")) {
            return c.isWord("commit", "prepared") ? new Ddl.Other("commit") : new Ddl.End(true);
        }
        if (c.isWord("rollback") || c.isWord("abort")) {
            c.next();
            c.accept("work");
            c.accept("transaction");
            return c.isWord("to") || c.isWord("prepared") ? new Ddl.Other("rollback") : new Ddl.End(false);
        }
        if (c.accept("set")) {
            boolean local = c.accept("local");
            c.accept("session");
            String name = c.name();
            return new Ddl.Set(name == null ? "" : name, local);
        }
        return new Ddl.Other(first.type() == TokenType.WORD ? first.name() : first.text());
    }

    private static Ddl create(TokenCursor c) {
        boolean orReplace = c.accept("or", "replace");
        c.accept("global");
        c.accept("local");
        c.accept("temporary");
        c.accept("temp");
        c.accept("unlogged");
        if (c.accept("table")) {
            return createTable(c);
        }
        boolean unique = c.accept("unique");
        if (c.accept("index")) {
            return createIndex(c, unique);
        }
        c.accept("constraint");
        if (c.accept("trigger")) {
            String name = c.name();
            c.skipTo("on");
            c.accept("on");
            return new Ddl.CreateTrigger(name, c.qname(), orReplace);
        }
        if (c.accept("policy")) {
            String name = c.name();
            c.accept("on");
            return new Ddl.CreatePolicy(name, c.qname());
        }
        c.accept("trusted");
        c.accept("procedural");
        c.accept("recursive");
        c.accept("materialized");
        Token kind = c.next();
        if (kind == null) {
            return new Ddl.Other("create");
        }
        String k = kind.name();
        boolean ifNotExists = c.accept("if", "not", "exists");
        QName name = c.qname();
        return new Ddl.CreateOther(k, name, orReplace || ifNotExists);
    }

    private static Ddl createTable(TokenCursor c) {
        boolean ifNotExists = c.accept("if", "not", "exists");
        QName table = c.qname();
        List<ColumnDef> columns = new ArrayList<>();
        List<TableConstraint> constraints = new ArrayList<>();
        // PARTITION OF, OF type, AS SELECT and LIKE take their columns and keys from elsewhere.
        boolean keysFromElsewhere = c.isWord("partition", "of") || c.isWord("of") || c.isWord("as");
        if (c.is(TokenType.LPAREN)) {
            for (List<Token> element : TokenCursor.splitCommas(c.group())) {
                if (element.isEmpty()) {
                    continue;
                }
                Token head = element.get(0);
                Token second = element.size() > 1 ? element.get(1) : null;
                boolean constraint = head.isAny("constraint", "primary", "unique", "check", "foreign")
                        || (head.is("exclude") && second != null
                        && (second.is("using") || second.type() == TokenType.LPAREN));
                if (head.is("like")) {
                    keysFromElsewhere = true;
                } else if (constraint) {
                    TableConstraint tc = tableConstraint(new TokenCursor(element));
                    if (tc != null) {
                        constraints.add(tc);
                    }
                } else {
                    ColumnDef col = columnDef(new TokenCursor(element));
                    if (col != null) {
                        columns.add(col);
                    }
                }
            }
        }
        return new Ddl.CreateTable(table, ifNotExists, columns, constraints, keysFromElsewhere);
    }

    private static Ddl createIndex(TokenCursor c, boolean unique) {
        boolean concurrently = c.accept("concurrently");
        boolean ifNotExists = c.accept("if", "not", "exists");
        String name = null;
        Token nameAt = null;
        if (!c.isWord("on")) {
            nameAt = c.peek();
            name = c.name();
        }
        c.accept("on");
        c.accept("only");
        QName table = c.qname();
        if (c.accept("using")) {
            c.next();
        }
        List<String> columns = new ArrayList<>();
        for (List<Token> element : TokenCursor.splitCommas(c.group())) {
            if (!element.isEmpty() && element.get(0).isName()
                    && (element.size() == 1 || element.get(1).type() == TokenType.WORD)) {
                columns.add(element.get(0).name());
            } else {
                columns.add("(expression)");
            }
        }
        return new Ddl.CreateIndex(name, nameAt, table, unique, concurrently, ifNotExists, columns);
    }

    private static Ddl drop(TokenCursor c) {
        if (c.accept("table")) {
            boolean ifExists = c.accept("if", "exists");
            return new Ddl.DropTable(names(c), ifExists);
        }
        if (c.accept("index")) {
            boolean concurrently = c.accept("concurrently");
            boolean ifExists = c.accept("if", "exists");
            return new Ddl.DropIndex(names(c), concurrently, ifExists);
        }
        if (c.accept("database")) {
            c.accept("if", "exists");
            return new Ddl.DropDatabase(c.name());
        }
        if (c.isWord("trigger") || c.isWord("policy") || c.isWord("rule")) {
            String kind = c.next().name();
            boolean ifExists = c.accept("if", "exists");
            String name = c.name();
            c.accept("on");
            return new Ddl.DropOn(kind, name, c.qname(), ifExists);
        }
        c.accept("materialized");
        c.accept("procedural");
        Token kind = c.next();
        if (kind == null) {
            return new Ddl.Other("drop");
        }
        if (kind.is("owned")) {
            return new Ddl.DropOther("owned", true);
        }
        String k = kind.name();
        if (c.peek() != null && (k.equals("foreign") && c.isWord("table") || k.equals("foreign") && c.isWord("data")
                || k.equals("text") && c.isWord("search") || k.equals("event") && c.isWord("trigger")
                || k.equals("access") && c.isWord("method") || k.equals("user") && c.isWord("mapping"))) {
            k = k + " " + c.next().name();
        }
        return new Ddl.DropOther(k, c.accept("if", "exists"));
    }

    private static List<QName> names(TokenCursor c) {
        List<QName> names = new ArrayList<>();
        while (!c.atEnd()) {
            QName q = c.qname();
            if (q == null) {
                break;
            }
            names.add(q);
            if (!c.accept(TokenType.COMMA)) {
                break;
            }
        }
        return names;
    }

    private static Ddl alterTable(TokenCursor c) {
        boolean ifExists = c.accept("if", "exists");
        c.accept("only");
        QName table = c.qname();
        if (c.peek() != null && c.peek().text().equals("*")) {
            c.next();
        }
        List<AlterAction> actions = new ArrayList<>();
        if (table == null) {
            return new Ddl.AlterTable(null, ifExists, actions);
        }
        while (!c.atEnd()) {
            List<Token> action = c.untilComma();
            c.accept(TokenType.COMMA);
            if (!action.isEmpty()) {
                actions.add(alterAction(new TokenCursor(action)));
            }
        }
        return new Ddl.AlterTable(table, ifExists, actions);
    }

    private static AlterAction alterAction(TokenCursor c) {
        Token at = c.peek();
        if (c.accept("add")) {
            if (c.accept("column")) {
                boolean ifNotExists = c.accept("if", "not", "exists");
                ColumnDef col = columnDef(c);
                return col == null ? new AlterAction.Other("add column", at) : new AlterAction.AddColumn(col,
                        ifNotExists, at);
            }
            if (c.peek() != null && c.peek().type() == TokenType.WORD
                    && TABLE_CONSTRAINT_WORDS.contains(c.peek().name())) {
                TableConstraint tc = tableConstraint(c);
                return tc == null ? new AlterAction.Other("add", at) : new AlterAction.AddConstraint(tc, at);
            }
            boolean ifNotExists = c.accept("if", "not", "exists");
            ColumnDef col = columnDef(c);
            return col == null ? new AlterAction.Other("add", at) : new AlterAction.AddColumn(col, ifNotExists, at);
        }
        if (c.accept("drop")) {
            if (c.accept("constraint")) {
                boolean ifExists = c.accept("if", "exists");
                return new AlterAction.DropConstraint(c.name(), ifExists, at);
            }
            boolean explicit = c.accept("column");
            if (!explicit && c.peek() != null && c.peek().isAny("default", "not", "identity", "expression")) {
                return new AlterAction.Other("drop", at);
            }
            boolean ifExists = c.accept("if", "exists");
            String column = c.name();
            return column == null ? new AlterAction.Other("drop", at) : new AlterAction.DropColumn(column,
                    ifExists, at);
        }
        if (c.accept("alter")) {
            c.accept("column");
            String column = c.name();
            Token verb = c.peek();
            if (c.accept("set", "data", "type") || c.accept("type")) {
                TypeRef type = type(c);
                return new AlterAction.AlterType(column, type, verb);
            }
            if (c.accept("set", "not", "null")) {
                return new AlterAction.SetNotNull(column, verb);
            }
            if (c.accept("drop", "not", "null")) {
                return new AlterAction.DropNotNull(column, verb);
            }
            if (c.accept("set", "default")) {
                return new AlterAction.SetDefault(column, c.rest(), verb);
            }
            return new AlterAction.Other("alter column", at);
        }
        if (c.accept("validate", "constraint")) {
            return new AlterAction.ValidateConstraint(c.name(), at);
        }
        if (c.accept("rename")) {
            if (c.accept("to")) {
                return new AlterAction.RenameTable(c.name(), at);
            }
            if (c.accept("constraint")) {
                return new AlterAction.Other("rename constraint", at);
            }
            c.accept("column");
            String from = c.name();
            c.accept("to");
            return new AlterAction.RenameColumn(from, c.name(), at);
        }
        StringBuilder words = new StringBuilder();
        for (int i = 0; i < 4 && c.peek(i) != null && c.peek(i).type() == TokenType.WORD; i++) {
            words.append(i == 0 ? "" : " ").append(c.peek(i).name());
        }
        return new AlterAction.Other(words.toString(), at);
    }

    /** A column definition; the cursor is at the column's name. */
    static ColumnDef columnDef(TokenCursor c) {
        Token nameToken = c.peek();
        if (nameToken == null || !nameToken.isName()) {
            return null;
        }
        c.next();
        TypeRef type = type(c);
        boolean notNull = false;
        boolean primaryKey = false;
        boolean unique = false;
        boolean identity = false;
        boolean check = false;
        List<Token> defaultExpr = List.of();
        ForeignRef references = null;
        while (!c.atEnd()) {
            if (c.accept("constraint")) {
                c.name();
            } else if (c.accept("not", "null")) {
                notNull = true;
            } else if (c.accept("null")) {
                notNull = false;
            } else if (c.accept("default")) {
                defaultExpr = defaultExpression(c);
            } else if (c.accept("primary", "key")) {
                primaryKey = true;
                notNull = true;
            } else if (c.accept("unique")) {
                unique = true;
                if (c.accept("nulls")) {
                    c.accept("not");
                    c.accept("distinct");
                }
            } else if (c.accept("check")) {
                c.group();
                check = true;
                c.accept("no", "inherit");
            } else if (c.accept("references")) {
                references = references(c, nameToken);
            } else if (c.accept("generated")) {
                if (c.contains("identity")) {
                    identity = true;
                    notNull = true;
                }
                c.skipTo("constraint", "not", "null", "default", "primary", "unique", "check", "references");
            } else {
                c.next(); // collate x, deferrable, initially deferred…
            }
        }
        return new ColumnDef(nameToken.name(), nameToken, type, notNull, primaryKey, unique, defaultExpr, references,
                identity, check);
    }

    private static List<Token> defaultExpression(TokenCursor c) {
        List<Token> expr = new ArrayList<>();
        int depth = 0;
        while (!c.atEnd()) {
            Token t = c.peek();
            if (depth == 0 && !expr.isEmpty() && t.type() == TokenType.WORD
                    && COLUMN_CONSTRAINT_WORDS.contains(t.name())
                    && !(t.is("not") && !(c.isWord("not", "null") || c.isWord("not", "deferrable")))) {
                break;
            }
            if (t.type() == TokenType.LPAREN) {
                depth++;
            } else if (t.type() == TokenType.RPAREN) {
                depth--;
            }
            expr.add(c.next());
        }
        return expr;
    }

    private static ForeignRef references(TokenCursor c, Token at) {
        QName table = c.qname();
        List<String> columns = names(c.group());
        String onDelete = null;
        while (!c.atEnd()) {
            if (c.accept("on", "delete")) {
                onDelete = action(c);
            } else if (c.accept("on", "update")) {
                action(c);
            } else if (c.accept("match")) {
                c.next();
            } else {
                break;
            }
        }
        return new ForeignRef(table, columns, onDelete, at);
    }

    private static String action(TokenCursor c) {
        if (c.accept("no", "action")) {
            return "no action";
        }
        if (c.accept("set", "null")) {
            c.group();
            return "set null";
        }
        if (c.accept("set", "default")) {
            c.group();
            return "set default";
        }
        Token t = c.next();
        return t == null ? "" : t.name();
    }

    /** A table constraint; the cursor is at CONSTRAINT, PRIMARY, UNIQUE, CHECK, FOREIGN or EXCLUDE. */
    static TableConstraint tableConstraint(TokenCursor c) {
        Token at = c.peek();
        String name = null;
        if (c.accept("constraint")) {
            name = c.name();
        }
        TableConstraint.Kind kind;
        List<String> columns = List.of();
        ForeignRef ref = null;
        boolean usingIndex = false;
        if (c.accept("primary", "key") || c.isWord("unique")) {
            kind = c.accept("unique") ? TableConstraint.Kind.UNIQUE : TableConstraint.Kind.PRIMARY_KEY;
            if (c.accept("nulls")) {
                c.accept("not");
                c.accept("distinct");
            }
            if (c.accept("using", "index")) {
                usingIndex = true;
            } else {
                columns = names(c.group());
            }
        } else if (c.accept("check")) {
            kind = TableConstraint.Kind.CHECK;
            c.group();
        } else if (c.accept("foreign", "key")) {
            kind = TableConstraint.Kind.FOREIGN_KEY;
            columns = names(c.group());
            c.accept("references");
            ref = references(c, at);
        } else if (c.accept("exclude")) {
            kind = TableConstraint.Kind.EXCLUDE;
        } else {
            return null;
        }
        boolean notValid = c.hasSequence("not", "valid");
        return new TableConstraint(name, kind, columns, ref, notValid, usingIndex, at);
    }

    private static List<String> names(List<Token> group) {
        List<String> names = new ArrayList<>();
        for (List<Token> part : TokenCursor.splitCommas(group)) {
            if (!part.isEmpty() && part.get(0).isName()) {
                names.add(part.get(0).name());
            }
        }
        return names;
    }

    /** A type: words, modifiers in parentheses, {@code []} or ARRAY; stops at a constraint word or the end. */
    static TypeRef type(TokenCursor c) {
        Token at = c.peek();
        int from = c.position();
        List<String> words = new ArrayList<>();
        StringBuilder modifiers = new StringBuilder();
        boolean array = false;
        while (!c.atEnd()) {
            Token t = c.peek();
            if (t.type() == TokenType.WORD && (COLUMN_CONSTRAINT_WORDS.contains(t.name()) || t.isAny("using",
                    "collate"))) {
                break;
            }
            if (t.type() == TokenType.LPAREN) {
                modifiers.append('(');
                c.group().forEach(m -> modifiers.append(m.text()));
                modifiers.append(')');
            } else if (t.text().equals("[") || t.text().equals("]") || t.is("array")) {
                array = true;
                c.next();
            } else if (t.isName()) {
                words.add(t.name());
                c.next();
            } else if (t.type() == TokenType.DOT) {
                words.add(".");
                c.next();
            } else if (t.type() == TokenType.NUMBER) {
                c.next(); // an array bound
            } else {
                break;
            }
        }
        StringBuilder written = new StringBuilder();
        Token previous = null;
        for (Token t : c.slice(from, c.position())) {
            boolean glue = previous == null || t.type() != TokenType.WORD && t.type() != TokenType.QUOTED_IDENT
                    || previous.type() == TokenType.DOT || previous.type() == TokenType.LPAREN;
            written.append(glue ? "" : " ").append(t.text());
            previous = t;
        }
        String joined = String.join(" ", words).replace(" . ", ".").toLowerCase(Locale.ROOT);
        return new TypeRef(canonical(joined), modifiers.toString(), array, written.toString(), at);
    }

    private static String canonical(String type) {
        String t = type.startsWith("pg_catalog.") ? type.substring("pg_catalog.".length()) : type;
        return switch (t) {
            case "character varying", "varchar" -> "varchar";
            case "character", "char", "bpchar", "nchar", "national character" -> "char";
            case "timestamp", "timestamp without time zone" -> "timestamp";
            case "timestamptz", "timestamp with time zone" -> "timestamptz";
            case "time", "time without time zone" -> "time";
            case "timetz", "time with time zone" -> "timetz";
            case "int", "integer", "int4" -> "integer";
            case "smallint", "int2" -> "smallint";
            case "bigint", "int8" -> "bigint";
            case "serial", "serial4" -> "serial";
            case "bigserial", "serial8" -> "bigserial";
            case "smallserial", "serial2" -> "smallserial";
            case "decimal", "numeric" -> "numeric";
            case "double precision", "float8", "float" -> "double precision";
            case "real", "float4" -> "real";
            case "bool", "boolean" -> "boolean";
            default -> t;
        };
    }
}
