package dev.backendteam.dbarchitect.engine.sql;

import java.util.Locale;

/**
 * One token of a SQL script. {@code offset} is the index of its first character in the script; {@code line} and
 * {@code column} are 1-based.
 */
public record Token(TokenType type, String text, int offset, int line, int column) {

    public int end() {
        return offset + text.length();
    }

    /** True for an unquoted word equal (ignoring case) to {@code word}. */
    public boolean is(String word) {
        return type == TokenType.WORD && text.equalsIgnoreCase(word);
    }

    public boolean isAny(String... words) {
        for (String w : words) {
            if (is(w)) {
                return true;
            }
        }
        return false;
    }

    public boolean isName() {
        return type == TokenType.WORD || type == TokenType.QUOTED_IDENT;
    }

    /** The identifier this token names: folded to lower case when unquoted, as written (unescaped) when quoted. */
    public String name() {
        if (type == TokenType.QUOTED_IDENT) {
            String body = text.startsWith("U&") || text.startsWith("u&") ? text.substring(2) : text;
            return body.substring(1, Math.max(1, body.length() - 1)).replace("\"\"", "\"");
        }
        return text.toLowerCase(Locale.ROOT);
    }

    /** The value of a plain {@code '…'} string constant (quotes removed, doubled quotes undone). */
    public String stringValue() {
        if (type != TokenType.STRING) {
            return text;
        }
        int open = text.indexOf('\'');
        int close = text.lastIndexOf('\'');
        return close > open ? text.substring(open + 1, close).replace("''", "'") : "";
    }

    /** The body of a dollar-quoted string, between its opening and closing tags. */
    public String dollarBody() {
        if (type != TokenType.DOLLAR_STRING) {
            return "";
        }
        int tagEnd = text.indexOf('$', 1);
        String tag = text.substring(0, tagEnd + 1);
        return text.length() >= 2 * tag.length() && text.endsWith(tag)
                ? text.substring(tag.length(), text.length() - tag.length())
                : text.substring(Math.min(text.length(), tag.length()));
    }
}
