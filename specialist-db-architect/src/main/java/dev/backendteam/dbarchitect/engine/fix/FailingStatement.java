package dev.backendteam.dbarchitect.engine.fix;

import dev.backendteam.dbarchitect.engine.spec.SpecChecks;
import dev.backendteam.dbarchitect.engine.sql.Identifiers;
import dev.backendteam.dbarchitect.engine.sql.SqlLexer;
import dev.backendteam.dbarchitect.engine.sql.Token;
import dev.backendteam.dbarchitect.engine.sql.TokenType;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An application's failing statement, read for what it names: the relations after FROM, JOIN, INTO, UPDATE and
 * USING (with their aliases), and the columns it uses — the insert's column list paired with its VALUES, an
 * update's SET, {@code alias.column} references, and bare words that are neither key words, functions, types nor
 * output names — each with the value it is compared with or given, when there is one. It is read, never run here.
 */
public final class FailingStatement {
    private static final String WORDS = "/dev/backendteam/dbarchitect/statement-words.txt";
    private static final Set<String> NOT_COLUMNS = words();
    private static final Set<String> RELATION_AFTER = Set.of("from", "join", "into", "update", "using");
    /** Functions whose argument list holds a FROM that introduces no relation. */
    private static final Set<String> FROM_FUNCTIONS = Set.of("extract", "substring", "trim", "overlay", "position");
    private static final Set<String> COMPARISONS = Set.of("=", "<>", "!=", "<", ">", "<=", ">=");

    /** A relation the statement names; {@code alias} is null when it has none. */
    public record Relation(String schema, String name, String alias, Token token) {

        public boolean answers(String qualifier) {
            return qualifier != null && (qualifier.equals(alias) || qualifier.equals(name));
        }
    }

    /** A column the statement uses; {@code qualifier} as written (alias or relation) or null; {@code value} may be empty. */
    public record Ref(String qualifier, String name, Token token, List<Token> value) {
    }

    private final String text;
    private final List<Token> tokens;
    private final List<Relation> relations = new ArrayList<>();
    private final List<Ref> refs = new ArrayList<>();
    private final Map<String, String> paramCasts = new HashMap<>();
    private final Set<Integer> consumed = new HashSet<>();
    private Relation target;

    private FailingStatement(String text) {
        this.text = text;
        this.tokens = SqlLexer.lex(text).tokens();
        read();
    }

    public static FailingStatement read(String sql) {
        return new FailingStatement(sql == null ? "" : sql.strip());
    }

    public String text() {
        return text;
    }

    public List<Relation> relations() {
        return List.copyOf(relations);
    }

    public List<Ref> refs() {
        return List.copyOf(refs);
    }

    /** The relation an INSERT or UPDATE writes to, if the statement is one. */
    public Optional<Relation> target() {
        return Optional.ofNullable(target);
    }

    /** {@code $1::uuid} → uuid for "$1". */
    public Optional<String> castOf(String param) {
        return Optional.ofNullable(paramCasts.get(param));
    }

    /** The relation {@code qualifier} (an alias or a name) stands for. */
    public Optional<Relation> relation(String qualifier) {
        return relations.stream().filter(r -> r.answers(qualifier)).findFirst();
    }

    /** The statement with one token replaced by another name, quoted as needed: an application's typo corrected. */
    public String replacing(Token token, String name) {
        return text.substring(0, token.offset()) + Identifiers.quote(name) + text.substring(token.end());
    }

    private void read() {
        int depth = 0;
        List<Integer> openers = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.type() == TokenType.LPAREN) {
                openers.add(i);
                depth++;
            } else if (t.type() == TokenType.RPAREN) {
                if (!openers.isEmpty()) {
                    openers.remove(openers.size() - 1);
                }
                depth = Math.max(0, depth - 1);
            } else if (t.type() == TokenType.WORD && RELATION_AFTER.contains(t.name())
                    && !(t.is("from") && insideFunction(openers))) {
                int next = relationAt(i + 1, t.is("update") || t.is("into"));
                while (t.is("from") && next < tokens.size() && tokens.get(next).type() == TokenType.COMMA) {
                    next = relationAt(next + 1, false);
                }
            } else if (t.type() == TokenType.PARAM && i + 2 < tokens.size() && tokens.get(i + 1).text().equals("::")
                    && tokens.get(i + 2).isName()) {
                paramCasts.put(t.text(), typeAt(i + 2));
            }
        }
        insertColumns();
        updateSets();
        columnRefs();
    }

    private boolean insideFunction(List<Integer> openers) {
        if (openers.isEmpty()) {
            return false;
        }
        int open = openers.get(openers.size() - 1);
        return open > 0 && FROM_FUNCTIONS.contains(tokens.get(open - 1).name());
    }

    /** Reads {@code [only] [schema.]name [[as] alias]} at {@code i}; returns the index after it. */
    private int relationAt(int i, boolean isTarget) {
        if (i < tokens.size() && tokens.get(i).isAny("only", "lateral")) {
            consumed.add(i);
            i++;
        }
        if (i >= tokens.size() || !tokens.get(i).isName() || isKeyword(tokens.get(i))) {
            return i;
        }
        String schema = null;
        Token nameToken = tokens.get(i);
        consumed.add(i);
        if (i + 2 < tokens.size() && tokens.get(i + 1).type() == TokenType.DOT && tokens.get(i + 2).isName()) {
            schema = nameToken.name();
            nameToken = tokens.get(i + 2);
            consumed.add(i + 1);
            consumed.add(i + 2);
            i += 2;
        }
        i++;
        String alias = null;
        if (i + 1 < tokens.size() && tokens.get(i).is("as") && tokens.get(i + 1).isName()) {
            alias = tokens.get(i + 1).name();
            consumed.add(i);
            consumed.add(i + 1);
            i += 2;
        } else if (i < tokens.size() && tokens.get(i).isName() && !isKeyword(tokens.get(i))) {
            alias = tokens.get(i).name();
            consumed.add(i);
            i++;
        }
        Relation r = new Relation(schema, nameToken.name(), alias, nameToken);
        relations.add(r);
        if (isTarget && target == null) {
            target = r;
        }
        return i;
    }

    private void insertColumns() {
        if (target == null || tokens.isEmpty() || !tokens.get(0).is("insert")) {
            return;
        }
        int open = indexAfter(target.token(), TokenType.LPAREN);
        if (open < 0) {
            return;
        }
        List<Token> columns = new ArrayList<>();
        int i = open + 1;
        for (; i < tokens.size() && tokens.get(i).type() != TokenType.RPAREN; i++) {
            if (tokens.get(i).isName()) {
                columns.add(tokens.get(i));
                consumed.add(i);
            }
        }
        List<List<Token>> values = List.of();
        for (int j = i; j + 1 < tokens.size(); j++) {
            if (tokens.get(j).is("values") && tokens.get(j + 1).type() == TokenType.LPAREN) {
                values = items(j + 2);
                break;
            }
        }
        for (int c = 0; c < columns.size(); c++) {
            refs.add(new Ref(target.alias() == null ? target.name() : target.alias(), columns.get(c).name(),
                    columns.get(c), c < values.size() ? values.get(c) : List.of()));
        }
    }

    private void updateSets() {
        if (target == null || tokens.isEmpty() || !tokens.get(0).is("update")) {
            return;
        }
        for (int i = 0; i + 2 < tokens.size(); i++) {
            if (!tokens.get(i).is("set")) {
                continue;
            }
            int j = i + 1;
            while (j + 1 < tokens.size() && tokens.get(j).isName() && tokens.get(j + 1).text().equals("=")) {
                consumed.add(j);
                List<Token> value = new ArrayList<>();
                int k = j + 2;
                int depth = 0;
                for (; k < tokens.size(); k++) {
                    Token v = tokens.get(k);
                    if (depth == 0 && (v.type() == TokenType.COMMA || v.isAny("where", "from", "returning"))) {
                        break;
                    }
                    depth += v.type() == TokenType.LPAREN ? 1 : v.type() == TokenType.RPAREN ? -1 : 0;
                    value.add(v);
                }
                refs.add(new Ref(target.alias() == null ? target.name() : target.alias(), tokens.get(j).name(),
                        tokens.get(j), value));
                j = k < tokens.size() && tokens.get(k).type() == TokenType.COMMA ? k + 1 : tokens.size();
            }
            return;
        }
    }

    private void columnRefs() {
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (consumed.contains(i) || !t.isName()) {
                continue;
            }
            Token previous = i > 0 ? tokens.get(i - 1) : null;
            Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
            if (next != null && next.type() == TokenType.LPAREN) {
                continue; // a function
            }
            if (previous != null && (previous.text().equals("::") || previous.is("as"))) {
                continue; // a type, an output name
            }
            if (next != null && next.type() == TokenType.DOT && i + 2 < tokens.size() && tokens.get(i + 2).isName()) {
                Token column = tokens.get(i + 2);
                boolean call = i + 3 < tokens.size() && tokens.get(i + 3).type() == TokenType.LPAREN;
                if (!call && relation(t.name()).isPresent()) {
                    refs.add(new Ref(t.name(), column.name(), column, valueAfter(i + 3)));
                }
                i += 2;
                continue;
            }
            if (previous != null && previous.type() == TokenType.DOT) {
                continue;
            }
            if (isKeyword(t)) {
                continue;
            }
            refs.add(new Ref(null, t.name(), t, valueAfter(i + 1)));
        }
    }

    /** The value compared with a column: {@code = $1}, {@code = 'x'}, {@code = 42}, {@code = $1::uuid}. */
    private List<Token> valueAfter(int i) {
        if (i + 1 >= tokens.size() || !COMPARISONS.contains(tokens.get(i).text())) {
            return List.of();
        }
        List<Token> value = new ArrayList<>(List.of(tokens.get(i + 1)));
        if (i + 3 < tokens.size() && tokens.get(i + 2).text().equals("::")) {
            value.add(tokens.get(i + 2));
            value.add(tokens.get(i + 3));
        }
        return value;
    }

    /** Items between commas at depth 0, from {@code start} to the closing parenthesis. */
    private List<List<Token>> items(int start) {
        List<List<Token>> items = new ArrayList<>();
        List<Token> item = new ArrayList<>();
        int depth = 0;
        for (int i = start; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (depth == 0 && (t.type() == TokenType.COMMA || t.type() == TokenType.RPAREN)) {
                items.add(item);
                item = new ArrayList<>();
                if (t.type() == TokenType.RPAREN) {
                    break;
                }
                continue;
            }
            depth += t.type() == TokenType.LPAREN ? 1 : t.type() == TokenType.RPAREN ? -1 : 0;
            item.add(t);
        }
        return items;
    }

    /** A type name after {@code ::}: one or more words ({@code timestamp with time zone}), {@code []} kept. */
    private String typeAt(int i) {
        StringBuilder type = new StringBuilder(tokens.get(i).name());
        int j = i + 1;
        while (j < tokens.size() && tokens.get(j).type() == TokenType.WORD
                && tokens.get(j).isAny("with", "without", "time", "zone", "precision", "varying")) {
            type.append(' ').append(tokens.get(j).name());
            j++;
        }
        if (j + 1 < tokens.size() && tokens.get(j).text().equals("[") && tokens.get(j + 1).text().equals("]")) {
            type.append("[]");
        }
        return type.toString();
    }

    private int indexAfter(Token token, TokenType type) {
        int i = tokens.indexOf(token) + 1;
        while (i < tokens.size() && tokens.get(i).isName() && consumed.contains(i)) {
            i++; // the alias
        }
        return i < tokens.size() && tokens.get(i).type() == type ? i : -1;
    }

    private static boolean isKeyword(Token t) {
        return t.type() == TokenType.WORD && (SpecChecks.reserved(t.name()) || NOT_COLUMNS.contains(t.name()));
    }

    private static Set<String> words() {
        Set<String> words = new HashSet<>();
        try (InputStream in = FailingStatement.class.getResourceAsStream(WORDS)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + WORDS);
            }
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).map(l -> l.toLowerCase(Locale.ROOT))
                    .forEach(words::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(words);
    }
}
