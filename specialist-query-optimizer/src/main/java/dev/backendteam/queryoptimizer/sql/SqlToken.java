package dev.backendteam.queryoptimizer.sql;

import java.util.Locale;

/**
 * One significant token of an SQL text (comments and white space are not tokens), with its place in the text so a
 * rewrite can splice the original around it.
 *
 * @param start offset of its first character
 * @param end   offset after its last character
 */
public record SqlToken(Kind kind, String text, int start, int end) {

    public enum Kind {
        /** An unquoted identifier or keyword. */
        WORD,
        QUOTED_IDENTIFIER,
        /** A string constant of any form: '…', E'…', $tag$…$tag$, B'…', X'…', U&'…'. */
        STRING,
        NUMBER,
        /** {@code $1}, {@code $2}, … */
        PARAMETER,
        /** An operator, {@code ::} included. */
        OPERATOR,
        /** {@code ( ) [ ] , ; . :} */
        PUNCTUATION,
        /** A character that starts no token, such as a backslash or a brace outside a string: not SQL. */
        OTHER
    }

    /** An unquoted word equal to {@code word}, whatever its case. */
    public boolean is(String word) {
        return kind == Kind.WORD && text.equalsIgnoreCase(word);
    }

    public boolean isPunctuation(String p) {
        return kind == Kind.PUNCTUATION && text.equals(p);
    }

    public boolean isIdentifier() {
        return kind == Kind.QUOTED_IDENTIFIER || kind == Kind.WORD && !SqlKeywords.isReserved(text);
    }

    /** The name as PostgreSQL folds it: unquoted words to lower case, quoted ones as written. */
    public String name() {
        return kind == Kind.QUOTED_IDENTIFIER ? text.substring(1, text.length() - 1).replace("\"\"", "\"")
                : text.toLowerCase(Locale.ROOT);
    }
}
