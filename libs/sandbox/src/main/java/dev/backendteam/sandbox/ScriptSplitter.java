package dev.backendteam.sandbox;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a SQL script into statements the way psql does, without a database: a {@code ;} ends a statement
 * unless it sits inside a string ({@code '…'} with {@code ''}, {@code E'…'} with backslash escapes,
 * {@code U&'…'}), a quoted identifier ({@code "…"}), a dollar-quoted body ({@code $$…$$}, {@code $tag$…$tag$}),
 * a line or (nested) block comment, parentheses, or the {@code BEGIN ATOMIC … END} body of a
 * {@code CREATE [OR REPLACE] FUNCTION|PROCEDURE} (psql's heuristic: inside such a statement, BEGIN and — within a
 * BEGIN — CASE open a block that END closes).
 *
 * <p>Leading comments are not part of a statement; empty statements are dropped; a last statement without
 * {@code ;} is kept. A psql meta-command ({@code \connect …}) at the start of a statement becomes a statement of
 * its own, up to the end of its line, so that the caller can refuse it clearly. Strings follow
 * {@code standard_conforming_strings = on} (the default since 9.1): a backslash escapes only in {@code E''}.
 */
public final class ScriptSplitter {
    private static final int WORDS_KEPT = 8;

    private final String script;
    private final List<SqlStatement> statements = new ArrayList<>();
    private int pos;
    // the statement being scanned
    private int start = -1;
    private int parenDepth;
    private int beginDepth;
    private final List<String> words = new ArrayList<>();
    // line counting moves forward only, as statements are emitted in order
    private int countedTo;
    private int countedLine = 1;
    private int countedLineStart;

    private ScriptSplitter(String script) {
        this.script = script;
    }

    public static List<SqlStatement> split(String script) {
        ScriptSplitter splitter = new ScriptSplitter(script == null ? "" : script);
        splitter.scan();
        return List.copyOf(splitter.statements);
    }

    private void scan() {
        int n = script.length();
        while (pos < n) {
            char c = script.charAt(pos);
            if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '-' && peek(1) == '-') {
                skipLineComment();
            } else if (c == '/' && peek(1) == '*') {
                skipBlockComment();
            } else if (c == ';') {
                if (start >= 0 && (parenDepth > 0 || beginDepth > 0)) {
                    pos++;
                } else {
                    emit(pos);
                    pos++;
                }
            } else {
                if (start < 0) {
                    start = pos;
                    if (c == '\\') {
                        metaCommand();
                        continue;
                    }
                }
                token(c);
            }
        }
        emit(n);
    }

    private void token(char c) {
        if (c == '\'') {
            skipString(pos + 1, false);
        } else if (c == '"') {
            skipQuotedIdentifier(pos + 1);
        } else if (c == '$') {
            dollar();
        } else if (c == '(') {
            parenDepth++;
            pos++;
        } else if (c == ')') {
            parenDepth = Math.max(0, parenDepth - 1);
            pos++;
        } else if (isIdentStart(c)) {
            word();
        } else if (Character.isDigit(c)) {
            // a number, possibly with an exponent or a trailing identifier part: never a string prefix
            while (pos < script.length() && isIdentPart(script.charAt(pos))) {
                pos++;
            }
        } else {
            pos++;
        }
    }

    private void word() {
        int from = pos;
        while (pos < script.length() && isIdentPart(script.charAt(pos))) {
            pos++;
        }
        String word = script.substring(from, pos);
        char next = peek(0);
        if (next == '\'' && (word.equalsIgnoreCase("e"))) {
            skipString(pos + 1, true);
            return;
        }
        if (next == '\'' && (word.equalsIgnoreCase("b") || word.equalsIgnoreCase("x") || word.equalsIgnoreCase("n"))) {
            skipString(pos + 1, false);
            return;
        }
        if (word.equalsIgnoreCase("u") && next == '&' && (peek(1) == '\'' || peek(1) == '"')) {
            if (peek(1) == '\'') {
                skipString(pos + 2, false);
            } else {
                skipQuotedIdentifier(pos + 2);
            }
            return;
        }
        String upper = SqlStatement.upper(word);
        if (words.size() < WORDS_KEPT) {
            words.add(upper);
        }
        if (isRoutineDefinition() && parenDepth == 0) {
            switch (upper) {
                case "BEGIN" -> beginDepth++;
                case "CASE" -> {
                    if (beginDepth >= 1) {
                        beginDepth++;
                    }
                }
                case "END" -> {
                    if (beginDepth > 0) {
                        beginDepth--;
                    }
                }
                default -> { }
            }
        }
    }

    /** CREATE [OR REPLACE] FUNCTION|PROCEDURE — the only statements whose bodies may hold BEGIN ATOMIC … END. */
    private boolean isRoutineDefinition() {
        if (words.size() < 2 || !words.get(0).equals("CREATE")) {
            return false;
        }
        String second = words.get(1);
        if (second.equals("FUNCTION") || second.equals("PROCEDURE")) {
            return true;
        }
        return words.size() >= 4 && second.equals("OR") && words.get(2).equals("REPLACE")
                && (words.get(3).equals("FUNCTION") || words.get(3).equals("PROCEDURE"));
    }

    private void dollar() {
        int n = script.length();
        int i = pos + 1;
        if (i < n && Character.isDigit(script.charAt(i))) {
            // a positional parameter: $1
            while (i < n && Character.isDigit(script.charAt(i))) {
                i++;
            }
            pos = i;
            return;
        }
        if (i < n && isIdentStart(script.charAt(i))) {
            while (i < n && isTagPart(script.charAt(i))) {
                i++;
            }
        }
        if (i < n && script.charAt(i) == '$') {
            String delimiter = script.substring(pos, i + 1);
            int close = script.indexOf(delimiter, i + 1);
            pos = close < 0 ? n : close + delimiter.length();
        } else {
            pos++;
        }
    }

    private void skipString(int from, boolean backslashEscapes) {
        int n = script.length();
        int i = from;
        while (i < n) {
            char c = script.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
            } else if (c == '\'') {
                if (i + 1 < n && script.charAt(i + 1) == '\'') {
                    i += 2;
                } else {
                    pos = i + 1;
                    return;
                }
            } else {
                i++;
            }
        }
        pos = n;
    }

    private void skipQuotedIdentifier(int from) {
        int n = script.length();
        int i = from;
        while (i < n) {
            if (script.charAt(i) == '"') {
                if (i + 1 < n && script.charAt(i + 1) == '"') {
                    i += 2;
                } else {
                    pos = i + 1;
                    return;
                }
            } else {
                i++;
            }
        }
        pos = n;
    }

    private void skipLineComment() {
        int nl = script.indexOf('\n', pos);
        pos = nl < 0 ? script.length() : nl;
    }

    private void skipBlockComment() {
        int n = script.length();
        int depth = 0;
        int i = pos;
        while (i < n) {
            if (script.charAt(i) == '/' && i + 1 < n && script.charAt(i + 1) == '*') {
                depth++;
                i += 2;
            } else if (script.charAt(i) == '*' && i + 1 < n && script.charAt(i + 1) == '/') {
                depth--;
                i += 2;
                if (depth == 0) {
                    pos = i;
                    return;
                }
            } else {
                i++;
            }
        }
        pos = n;
    }

    private void metaCommand() {
        int nl = script.indexOf('\n', pos);
        int end = nl < 0 ? script.length() : nl;
        words.add(SqlStatement.upper(script.substring(pos, end).strip().split("\\s+", 2)[0]));
        pos = end;
        emit(end);
    }

    private void emit(int end) {
        if (start >= 0) {
            int last = end;
            while (last > start && Character.isWhitespace(script.charAt(last - 1))) {
                last--;
            }
            ScriptLocation at = locate(start);
            statements.add(new SqlStatement(statements.size() + 1, script.substring(start, last), start, at.line(),
                    at.column(), words));
        }
        start = -1;
        parenDepth = 0;
        beginDepth = 0;
        words.clear();
    }

    private ScriptLocation locate(int offset) {
        for (; countedTo < offset; countedTo++) {
            if (script.charAt(countedTo) == '\n') {
                countedLine++;
                countedLineStart = countedTo + 1;
            }
        }
        return new ScriptLocation(countedLine, script.codePointCount(countedLineStart, offset) + 1);
    }

    private char peek(int ahead) {
        int i = pos + ahead;
        return i < script.length() ? script.charAt(i) : '\0';
    }

    private static boolean isIdentStart(char c) {
        return Character.isLetter(c) || c == '_' || c >= 0x80;
    }

    private static boolean isIdentPart(char c) {
        return isIdentStart(c) || Character.isDigit(c) || c == '$';
    }

    private static boolean isTagPart(char c) {
        return isIdentStart(c) || Character.isDigit(c);
    }
}
