package dev.backendteam.queryoptimizer.data;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the single-column checks of a column say about its values, read from the server's own printing of them
 * ({@code pg_get_expr}): a closed set ({@code col in (…)}, {@code col = any (array[…])}) and numeric bounds
 * ({@code col >= 0}, {@code col between 1 and 5}). The generator draws from these; every check is still applied
 * as a filter on the candidate rows, so a shape read wrongly costs rows, never a violation.
 *
 * @param values the closed set, as literals' texts (empty: none)
 * @param min    lower bound, null if none; {@code minExclusive} for {@code >}
 * @param max    upper bound, null if none; {@code maxExclusive} for {@code <}
 */
record CheckShape(List<String> values, Double min, boolean minExclusive, Double max, boolean maxExclusive) {
    static final CheckShape NONE = new CheckShape(List.of(), null, false, null, false);
    private static final Pattern STRING = Pattern.compile("'((?:[^']|'')*)'");
    private static final Pattern NUMBER = Pattern.compile("^\\(*\\s*(-?\\d+(?:\\.\\d+)?)\\s*\\)*(?:::[\\w\\s]+)?\\)*$");

    /** The shape of {@code column} from expressions that each read only that column. */
    static CheckShape of(String column, List<String> expressions) {
        List<String> values = List.of();
        Double min = null;
        Double max = null;
        boolean minEx = false;
        boolean maxEx = false;
        String col = "(?:\\(?\"?" + Pattern.quote(column) + "\"?\\)?(?:::[\\w\\s]+)?)";
        Pattern bound = Pattern.compile(col + "\\s*(>=|>|<=|<)\\s*\\(*(-?\\d+(?:\\.\\d+)?)");
        for (String e : expressions) {
            String upper = e.toUpperCase(java.util.Locale.ROOT);
            if (upper.contains(" OR ")) {
                continue;
            }
            int array = upper.indexOf("ARRAY[");
            if (upper.contains("= ANY") && array >= 0 && values.isEmpty()) {
                String inside = e.substring(array + 6, e.indexOf(']', array));
                List<String> found = new ArrayList<>();
                Matcher m = STRING.matcher(inside);
                while (m.find()) {
                    found.add(m.group(1).replace("''", "'"));
                }
                if (found.isEmpty()) {
                    for (String part : inside.split(",")) {
                        Matcher n = NUMBER.matcher(part.trim());
                        if (n.matches()) {
                            found.add(n.group(1));
                        }
                    }
                }
                values = List.copyOf(found);
                continue;
            }
            Matcher m = bound.matcher(e);
            while (m.find()) {
                double v = Double.parseDouble(m.group(2));
                switch (m.group(1)) {
                    case ">=" -> { if (min == null || v > min) { min = v; minEx = false; } }
                    case ">" -> { if (min == null || v >= min) { min = v; minEx = true; } }
                    case "<=" -> { if (max == null || v < max) { max = v; maxEx = false; } }
                    default -> { if (max == null || v <= max) { max = v; maxEx = true; } }
                }
            }
        }
        return new CheckShape(values, min, minEx, max, maxEx);
    }
}
