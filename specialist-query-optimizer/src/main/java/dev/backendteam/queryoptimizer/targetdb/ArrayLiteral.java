package dev.backendteam.queryoptimizer.targetdb;

import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL's text form of a one-dimensional array ({@code array_out}), as pg_stats' anyarray columns are read
 * ({@code most_common_vals::text}): {@code {plain,"with space","a,b","say \"hi\"",NULL,"NULL"}}. An element is quoted
 * when it is empty, holds a delimiter, brace, quote, backslash or white space, or reads as NULL; inside quotes a
 * backslash escapes the next character. An unquoted NULL is SQL null. The element of a multi-dimensional array (an
 * array column's values) is kept as its own literal, {@code {1,2}}. A leading dimension decoration
 * ({@code [0:1]=}) is skipped.
 */
final class ArrayLiteral {

    private ArrayLiteral() {
    }

    /** The elements, null elements as null; an empty list for null or {@code {}}. */
    static List<String> parse(String literal) {
        List<String> out = new ArrayList<>();
        if (literal == null) {
            return out;
        }
        String s = literal.strip();
        if (s.startsWith("[")) {
            int eq = s.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("not an array literal: " + literal);
            }
            s = s.substring(eq + 1);
        }
        if (s.length() < 2 || s.charAt(0) != '{' || s.charAt(s.length() - 1) != '}') {
            throw new IllegalArgumentException("not an array literal: " + literal);
        }
        int i = 1;
        int end = s.length() - 1;
        if (i == end) {
            return out;
        }
        while (i <= end) {
            StringBuilder e = new StringBuilder();
            boolean quoted = false;
            if (s.charAt(i) == '"') {
                quoted = true;
                i++;
                while (i < end && s.charAt(i) != '"') {
                    if (s.charAt(i) == '\\' && i + 1 < end) {
                        i++;
                    }
                    e.append(s.charAt(i++));
                }
                if (i >= end) {
                    throw new IllegalArgumentException("unterminated quote in array literal: " + literal);
                }
                i++;
            } else if (s.charAt(i) == '{') {
                int depth = 0;
                boolean inQuote = false;
                do {
                    char c = s.charAt(i);
                    if (inQuote && c == '\\') {
                        e.append(c);
                        i++;
                    } else if (c == '"') {
                        inQuote = !inQuote;
                    } else if (!inQuote && c == '{') {
                        depth++;
                    } else if (!inQuote && c == '}') {
                        depth--;
                    }
                    e.append(s.charAt(i++));
                } while (depth > 0 && i < end);
                quoted = true;
            } else {
                while (i < end && s.charAt(i) != ',') {
                    e.append(s.charAt(i++));
                }
            }
            if (i < end && s.charAt(i) != ',') {
                throw new IllegalArgumentException("unexpected character at " + i + " of array literal: " + literal);
            }
            String value = quoted ? e.toString() : e.toString().strip();
            out.add(!quoted && value.equalsIgnoreCase("NULL") ? null : value);
            i++;
        }
        return out;
    }
}
