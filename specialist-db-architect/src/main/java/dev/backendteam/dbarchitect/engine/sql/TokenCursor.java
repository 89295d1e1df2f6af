package dev.backendteam.dbarchitect.engine.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/** A position in a list of tokens, with the look-ahead helpers the statement readers share. Never throws. */
final class TokenCursor {
    private final List<Token> tokens;
    private int pos;

    TokenCursor(List<Token> tokens) {
        this.tokens = tokens;
    }

    boolean atEnd() {
        return pos >= tokens.size();
    }

    Token peek() {
        return peek(0);
    }

    Token peek(int ahead) {
        int i = pos + ahead;
        return i < tokens.size() ? tokens.get(i) : null;
    }

    Token next() {
        return atEnd() ? null : tokens.get(pos++);
    }

    /** The last token, for positions when the statement ran out. */
    Token lastOr(Token fallback) {
        return tokens.isEmpty() ? fallback : tokens.get(Math.min(pos, tokens.size() - 1));
    }

    boolean isWord(String... words) {
        for (int i = 0; i < words.length; i++) {
            Token t = peek(i);
            if (t == null || !t.is(words[i])) {
                return false;
            }
        }
        return true;
    }

    boolean is(TokenType type) {
        Token t = peek();
        return t != null && t.type() == type;
    }

    /** Consumes the words if they all come next. */
    boolean accept(String... words) {
        if (isWord(words)) {
            pos += words.length;
            return true;
        }
        return false;
    }

    boolean accept(TokenType type) {
        if (is(type)) {
            pos++;
            return true;
        }
        return false;
    }

    /** A name, possibly qualified ({@code schema.table}); null when no name comes next. */
    QName qname() {
        Token first = peek();
        if (first == null || !first.isName()) {
            return null;
        }
        pos++;
        List<String> parts = new ArrayList<>();
        parts.add(first.name());
        while (is(TokenType.DOT) && peek(1) != null && peek(1).isName()) {
            pos++;
            parts.add(next().name());
        }
        String name = parts.get(parts.size() - 1);
        String schema = parts.size() >= 2 ? parts.get(parts.size() - 2) : null;
        return new QName(schema, name, first);
    }

    String name() {
        Token t = peek();
        if (t == null || !t.isName()) {
            return null;
        }
        pos++;
        return t.name();
    }

    /** The tokens inside the parenthesised group that comes next (consumed), or an empty list without one. */
    List<Token> group() {
        if (!is(TokenType.LPAREN)) {
            return List.of();
        }
        int depth = 0;
        int start = pos + 1;
        while (!atEnd()) {
            Token t = next();
            if (t.type() == TokenType.LPAREN) {
                depth++;
            } else if (t.type() == TokenType.RPAREN) {
                depth--;
                if (depth == 0) {
                    return tokens.subList(start, pos - 1);
                }
            }
        }
        return tokens.subList(Math.min(start, tokens.size()), tokens.size());
    }

    /** Tokens up to (not including) the next depth-0 comma or the end. */
    List<Token> untilComma() {
        int depth = 0;
        int start = pos;
        while (!atEnd()) {
            Token t = peek();
            if (t.type() == TokenType.LPAREN) {
                depth++;
            } else if (t.type() == TokenType.RPAREN) {
                depth--;
            } else if (t.type() == TokenType.COMMA && depth <= 0) {
                break;
            }
            pos++;
        }
        return tokens.subList(start, pos);
    }

    /** Skips tokens up to the next depth-0 occurrence of one of these words; true when one was found. */
    boolean skipTo(String... words) {
        int at = find(i -> tokens.get(i).isAny(words));
        pos = at < 0 ? tokens.size() : at;
        return at >= 0;
    }

    /** Whether one of these words occurs at depth 0 from here on (nothing consumed). */
    boolean contains(String... words) {
        return find(i -> tokens.get(i).isAny(words)) >= 0;
    }

    /** Whether these words occur consecutively at depth 0 from here on (nothing consumed). */
    boolean hasSequence(String... words) {
        return find(i -> {
            for (int k = 0; k < words.length; k++) {
                if (i + k >= tokens.size() || !tokens.get(i + k).is(words[k])) {
                    return false;
                }
            }
            return true;
        }) >= 0;
    }

    /** The index of the first token from here on, outside parentheses, where {@code match} holds; -1 if none. */
    private int find(IntPredicate match) {
        int depth = 0;
        for (int i = pos; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.type() == TokenType.LPAREN) {
                depth++;
            } else if (t.type() == TokenType.RPAREN) {
                depth--;
            } else if (depth == 0 && match.test(i)) {
                return i;
            }
        }
        return -1;
    }

    int position() {
        return pos;
    }

    List<Token> slice(int from, int to) {
        return tokens.subList(Math.min(from, tokens.size()), Math.min(to, tokens.size()));
    }

    List<Token> rest() {
        List<Token> rest = tokens.subList(Math.min(pos, tokens.size()), tokens.size());
        pos = tokens.size();
        return rest;
    }

    /** Splits a token list at depth-0 commas. */
    static List<List<Token>> splitCommas(List<Token> tokens) {
        List<List<Token>> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.type() == TokenType.LPAREN) {
                depth++;
            } else if (t.type() == TokenType.RPAREN) {
                depth--;
            } else if (t.type() == TokenType.COMMA && depth == 0) {
                parts.add(tokens.subList(start, i));
                start = i + 1;
            }
        }
        if (start < tokens.size()) {
            parts.add(tokens.subList(start, tokens.size()));
        }
        return parts;
    }
}
