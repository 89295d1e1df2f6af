package dev.backendteam.dbarchitect.engine.sql;

/** Lexical classes of PostgreSQL's SQL syntax, as far as the analyses here need them. */
public enum TokenType {
    /** An unquoted identifier or key word; compared case-insensitively. */
    WORD,
    /** A {@code "quoted identifier"}, case preserved. */
    QUOTED_IDENT,
    /** A string constant: {@code '…'}, {@code E'…'}, {@code U&'…'}, {@code B'…'}, {@code X'…'}… */
    STRING,
    /** A dollar-quoted string constant: {@code $$…$$} or {@code $tag$…$tag$}. */
    DOLLAR_STRING,
    NUMBER,
    /** A positional parameter: {@code $1}. */
    PARAM,
    /** An operator ({@code =}, {@code <>}, {@code ::}, {@code ||}…) or another punctuation character. */
    OPERATOR,
    LPAREN,
    RPAREN,
    COMMA,
    DOT,
    SEMICOLON
}
