package dev.backendteam.dbarchitect.engine.sql;

/** Text the lexer could not close: an unterminated string, quoted identifier, dollar quote or comment. */
public record LexProblem(String message, int line, int column, int offset) {
}
