package dev.backendteam.queryoptimizer.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The SQL expression that draws one column's value for a candidate row, cast to the column's base type. In order of
 * precedence: a value unique to the row (keys), the real table's statistics, the check's closed set or the enum's
 * labels (one dominant value), then the type and what the column's name says it holds. Realism is skew: recent
 * timestamps, soft-delete columns mostly null, booleans mostly one way.
 */
final class ValueExpressions {
    private static final Pattern RARE_TIMESTAMP = Pattern.compile(
            ".*(deleted|archived|cancel+ed|closed|completed|finished|revoked|banned|expired|removed|disabled|locked|resolved)(_at|_on)?$");
    private static final Pattern AHEAD = Pattern.compile(".*(due|ends?|expires?|starts?|scheduled|deadline|until|valid_to).*");
    private static final Pattern RARE_FLAG = Pattern.compile(
            ".*(deleted|archived|disabled|banned|locked|blocked|spam|flagged|hidden|private|admin|super|test).*");
    private static final Set<String> NUMERIC = Set.of("int2", "int4", "int8", "numeric", "float4", "float8");

    private final Vocabulary words;
    private final long seed;

    ValueExpressions(Vocabulary words, long seed) {
        this.words = words;
        this.seed = seed;
    }

    /** The column's expression, nulls included, or empty when the generator does not know its type. */
    Optional<String> of(CatalogTable t, CatalogTable.Column c, boolean rowUnique, CheckShape shape,
                        TableStatistics.Column stats, long rows, Slots slots) {
        String type = c.elementType();
        if (rowUnique) {
            return Optional.of("(" + unique(t, c, type) + ")::" + c.baseType());
        }
        if (stats != null && !c.isArray() && (stats.mostCommonValues().size() > 0 || stats.histogramBounds().size() > 1)) {
            Optional<String> s = fromStatistics(t, c, shape, stats, rows, slots);
            if (s.isPresent()) {
                return s;
            }
        }
        Optional<String> value = c.isArray() ? array(t, c, shape) : scalar(t, c, shape);
        if (value.isEmpty()) {
            return value;
        }
        double nulls = c.notNull() ? 0 : stats != null ? stats.nullFrac() : nullShare(c);
        String v = "(" + value.get() + ")::" + c.baseType();
        return Optional.of(nulls <= 0 ? v : "case when random() < " + num(nulls) + " then null else " + v + " end");
    }

    /** Nullable columns are mostly set, except the ones that record a rare event. */
    static double nullShare(CatalogTable.Column c) {
        String n = c.name().toLowerCase(Locale.ROOT);
        return RARE_TIMESTAMP.matcher(n).matches() ? 0.95 : 0.1;
    }

    // --- keys ---------------------------------------------------------------------------------------------------

    private String unique(CatalogTable t, CatalogTable.Column c, String type) {
        String n = c.name().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "int2", "int4", "int8", "numeric", "float4", "float8" -> "s.g";
            case "uuid" -> "md5(" + Sql.literal(seed + ":" + t.qualified() + "." + c.name() + ":") + " || s.g)::uuid";
            case "timestamptz", "timestamp" -> "now() - interval '1 second' * s.g";
            case "date" -> "date '2000-01-01' + s.g::int";
            default -> n.contains("email") ? "'user' || s.g || '@example.com'"
                    : c.typmod() > 0 && c.typmod() - 4 < 24 ? "s.g || '-' || " + words.pick("words")
                    : text(t, c) + " || '-' || s.g";
        };
    }

    // --- statistics ---------------------------------------------------------------------------------------------

    /**
     * The column of the real table: its null fraction, most common values at their frequencies, the rest spread over
     * the histogram's equal-population buckets with as many distinct values as n_distinct says. A column stored in its
     * order (|correlation| ≥ 0.9) walks the histogram with the row number instead, so the physical order follows.
     */
    private Optional<String> fromStatistics(CatalogTable t, CatalogTable.Column c, CheckShape shape,
                                            TableStatistics.Column s, long rows, Slots slots) {
        String type = c.elementType();
        String base = c.baseType();
        List<String> hist = s.histogramBounds();
        boolean numeric = NUMERIC.contains(type);
        boolean time = type.equals("timestamptz") || type.equals("timestamp") || type.equals("date");
        double nulls = c.notNull() ? 0 : Math.max(0, s.nullFrac());
        String nullPart = nulls > 0 ? "case when random() < " + num(nulls) + " then null else " : null;
        if (s.correlation() != null && Math.abs(s.correlation()) >= 0.9 && hist.size() > 1 && (numeric || time)) {
            String pos = "((s.g - 0.5) / " + Math.max(1, rows) + ".0)";
            if (s.correlation() < 0) {
                pos = "(1 - " + pos + ")";
            }
            String walk = interpolate(hist, base, numeric, "least(greatest(" + pos + ", 0), 0.999999)", "1.0", type);
            String v = "(" + walk + ")::" + base;
            return Optional.of(nullPart == null ? v : nullPart + v + " end");
        }
        double distinct = s.nDistinct() >= 0 ? s.nDistinct() : -s.nDistinct() * rows;
        int mcvs = Math.min(s.mostCommonValues().size(), s.mostCommonFreqs().size());
        double mcvMass = 0;
        for (int i = 0; i < mcvs; i++) {
            mcvMass += s.mostCommonFreqs().get(i);
        }
        double otherMass = Math.max(0, 1 - s.nullFrac() - mcvMass);
        long otherDistinct = Math.max(1, Math.round(distinct - mcvs));
        List<String> values = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        for (int i = 0; i < mcvs; i++) {
            values.add(Sql.literal(s.mostCommonValues().get(i)) + "::" + base);
            weights.add(s.mostCommonFreqs().get(i));
        }
        if (otherMass > 1e-9 || mcvs == 0) {
            String other;
            if (hist.size() > 1 && (numeric || time)) {
                long perBucket = Math.max(1, (long) Math.ceil((double) otherDistinct / (hist.size() - 1)));
                String u = slots.uniform();
                other = interpolate(hist, base, numeric, u, perBucket + ".0", type);
                other = "(" + other + ")::" + base;
            } else if (hist.size() > 1) {
                String u = slots.uniform();
                String bucket = "(" + Vocabulary.textArray(hist) + ")[1 + floor(" + u + " * " + hist.size() + ")::int]";
                long perBucket = Math.max(1, otherDistinct / hist.size());
                other = perBucket <= 1 ? bucket : bucket + " || ' ' || floor(random() * " + perBucket + ")::int";
                other = "(" + other + ")::" + base;
            } else {
                Optional<String> plain = scalar(t, c, shape);
                if (plain.isEmpty()) {
                    return Optional.empty();
                }
                other = "(" + plain.get() + ")::" + base;
            }
            values.add(other);
            weights.add(mcvs == 0 ? 1 - s.nullFrac() : otherMass);
        }
        if (nulls > 0) {
            values.add("null::" + base);
            weights.add(nulls);
        }
        return Optional.of(weighted(values, weights));
    }

    /** A value within the histogram: bucket from {@code u} in [0, 1), then one of {@code steps} points inside it. */
    private static String interpolate(List<String> hist, String base, boolean numeric, String u, String steps,
                                      String type) {
        int buckets = hist.size() - 1;
        String i = "(1 + floor(" + u + " * " + buckets + "))::int";
        String frac = steps.equals("1.0")
                ? "(" + u + " * " + buckets + " - floor(" + u + " * " + buckets + "))"
                : "(floor(random() * " + steps + ") / " + steps + ")";
        String arrayType = numeric ? "float8" : type.equals("date") ? "date" : "timestamptz";
        String bounds = "(" + Vocabulary.textArray(hist) + ")::" + arrayType + "[]";
        String lo = "(" + bounds + ")[" + i + "]";
        String hi = "(" + bounds + ")[" + i + " + 1]";
        if (numeric) {
            String v = lo + " + (" + hi + " - " + lo + ") * " + frac;
            return type.startsWith("int") ? "floor(" + v + ")" : v;
        }
        if (type.equals("date")) {
            return lo + " + floor((" + hi + " - " + lo + ") * " + frac + ")::int";
        }
        return lo + " + (" + hi + " - " + lo + ") * " + frac;
    }

    /** One of {@code values} at the given weights (normalized), with one draw of random(). */
    static String weighted(List<String> values, List<Double> weights) {
        if (values.size() == 1) {
            return values.get(0);
        }
        double total = weights.stream().mapToDouble(Double::doubleValue).sum();
        StringBuilder thresholds = new StringBuilder("array[0");
        double cum = 0;
        for (int i = 0; i < weights.size() - 1; i++) {
            cum += weights.get(i) / total;
            thresholds.append(", ").append(num(Math.min(cum, 1)));
        }
        thresholds.append("]::float8[]");
        return "(array[" + String.join(", ", values) + "])[width_bucket(random(), " + thresholds + ")]";
    }

    /** A closed set: the first value takes most rows (60 %), the others share the rest, fewer each. */
    static String dominant(List<String> literals) {
        if (literals.size() == 1) {
            return literals.get(0);
        }
        List<Double> weights = new ArrayList<>();
        weights.add(0.6);
        double h = harmonic(literals.size() - 1);
        for (int i = 1; i < literals.size(); i++) {
            weights.add(0.4 / (i * h));
        }
        return weighted(literals, weights);
    }

    private static double harmonic(int n) {
        double h = 0;
        for (int i = 1; i <= n; i++) {
            h += 1.0 / i;
        }
        return h;
    }

    // --- by type and name ---------------------------------------------------------------------------------------

    private Optional<String> array(CatalogTable t, CatalogTable.Column c, CheckShape shape) {
        Optional<String> e = element(t, c, CheckShape.NONE);
        if (e.isEmpty()) {
            return e;
        }
        String elem = "(" + e.get() + ")::" + c.elementTypeSql();
        return Optional.of("(array[" + elem + ", " + elem + ", " + elem + "])[1:floor(random() * 4)::int]");
    }

    private Optional<String> scalar(CatalogTable t, CatalogTable.Column c, CheckShape shape) {
        if (!shape.values().isEmpty()) {
            List<String> lits = shape.values().stream().map(v -> Sql.literal(v) + "::" + c.baseType()).toList();
            return Optional.of(dominant(lits));
        }
        return element(t, c, shape);
    }

    private Optional<String> element(CatalogTable t, CatalogTable.Column c, CheckShape shape) {
        String n = c.name().toLowerCase(Locale.ROOT);
        if ("e".equals(c.elementKind())) {
            if (c.enumLabels().isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(dominant(c.enumLabels().stream().map(Sql::literal).toList()));
        }
        return Optional.ofNullable(switch (c.elementType()) {
            case "bool" -> RARE_FLAG.matcher(n).matches() ? "random() < 0.05" : "random() < 0.8";
            case "int2", "int4", "int8" -> integer(n, shape, c.elementType());
            case "numeric", "float4", "float8" -> decimal(n, shape, c);
            case "text", "varchar", "bpchar", "citext", "name" -> text(t, c);
            case "uuid" -> "md5(random()::text)::uuid";
            case "timestamptz", "timestamp" -> AHEAD.matcher(n).matches()
                    ? "now() + interval '1 hour' * floor(random() * 24 * 120 - 24 * 30)"
                    : "now() - interval '365 days' * power(random(), 3)";
            case "date" -> AHEAD.matcher(n).matches()
                    ? "current_date + floor(random() * 120 - 30)::int"
                    : "current_date - floor(365 * power(random(), 3))::int";
            case "jsonb", "json" -> "jsonb_build_object('source', (" + Vocabulary.textArray(List.of("web", "ios",
                    "android")) + ")[1 + floor(power(random(), 2) * 3)::int], 'version', floor(random() * 5)::int)";
            case "time", "timetz" -> "time '08:00' + interval '1 minute' * floor(random() * 720)";
            case "interval" -> "interval '1 minute' * floor(1 + power(random(), 2) * 600)";
            case "inet", "cidr" -> "('10.' || floor(random() * 256)::int || '.' || floor(random() * 256)::int || '.' || floor(random() * 256)::int)::inet";
            case "bytea" -> "decode(md5(random()::text), 'hex')";
            default -> null;
        });
    }

    private static String integer(String n, CheckShape shape, String type) {
        long lo = 0;
        long span = n.matches(".*(count|qty|quantity|stock|seats)$") ? 100
                : n.matches(".*(position|sort|order|rank|priority|level)$") ? 20 : 1000;
        Long hi = null;
        if (shape.min() != null) {
            lo = (long) Math.ceil(shape.min()) + (shape.minExclusive() && shape.min() == Math.floor(shape.min()) ? 1 : 0);
        }
        if (shape.max() != null) {
            hi = (long) Math.floor(shape.max()) - (shape.maxExclusive() && shape.max() == Math.floor(shape.max()) ? 1 : 0);
            if (shape.min() == null) {
                lo = Math.min(0, hi);
            }
        }
        long top = hi != null ? hi : lo + span;
        if (type.equals("int2")) {
            top = Math.min(top, 32767);
        }
        return lo + " + floor(power(random(), 2) * " + (top - lo + 1) + ")";
    }

    private static String decimal(String n, CheckShape shape, CatalogTable.Column c) {
        double lo = shape.min() != null ? shape.min() : 0;
        double span = n.matches(".*(price|amount|cost|total|balance|fee)$") ? 500
                : n.matches(".*(rating|score)$") ? 5 : 1000;
        double hi = shape.max() != null ? shape.max() : lo + span;
        int scale = 2;
        if (c.elementType().equals("numeric") && c.typmod() >= 4) {
            int precision = ((c.typmod() - 4) >> 16) & 0xffff;
            scale = (c.typmod() - 4) & 0xffff;
            hi = Math.min(hi, Math.pow(10, precision - scale) - Math.pow(10, -scale));
        }
        return "round((" + num(lo) + " + power(random(), 2) * " + num(hi - lo) + ")::numeric, " + scale + ")";
    }

    private String text(CatalogTable t, CatalogTable.Column c) {
        String n = c.name().toLowerCase(Locale.ROOT);
        String table = t.name().toLowerCase(Locale.ROOT);
        if (n.contains("email")) {
            // one address per row even without a unique index (auth.users has none): people do not share emails
            return "'user' || s.g || '@example.com'";
        }
        if (n.equals("first_name") || n.equals("given_name")) {
            return words.pick("first_names");
        }
        if (n.equals("last_name") || n.equals("family_name") || n.equals("surname")) {
            return words.pick("last_names");
        }
        if (n.matches("(user_?name|handle|login|nickname)")) {
            return "lower(" + words.pick("first_names") + ") || floor(random() * 10000)::int";
        }
        if (n.matches("(name|display_name|full_name|author|owner_name)")) {
            return table.matches(".*(org|compan|team|workspace|tenant|account|project|client|customer|vendor).*")
                    ? "initcap(" + words.pick("words") + ") || ' ' || " + words.pick("org_suffixes")
                    : words.pick("first_names") + " || ' ' || " + words.pick("last_names");
        }
        if (n.matches(".*(title|subject|headline|label|caption|heading).*")) {
            String w = words.pick("words");
            return "initcap(" + w + " || ' ' || " + w + " || case when random() < 0.6 then ' ' || " + w + " else '' end)";
        }
        if (n.matches(".*(body|description|content|text|bio|message|notes?|comment|details|summary|excerpt).*")) {
            return words.passage();
        }
        if (n.contains("slug")) {
            return words.pick("words") + " || '-' || " + words.pick("words") + " || '-' || floor(random() * 100000)::int";
        }
        if (n.matches(".*(url|website|link|avatar|image|photo).*")) {
            return "'https://example.com/' || " + words.pick("words") + " || '/' || floor(random() * 100000)::int";
        }
        if (n.contains("phone")) {
            return "'+1555' || lpad(floor(random() * 10000000)::int::text, 7, '0')";
        }
        if (n.contains("color") || n.contains("colour")) {
            return words.pick("colors");
        }
        if (n.contains("country")) {
            return dominant(words.list("countries").stream().map(Sql::literal).toList());
        }
        if (n.contains("currency")) {
            return dominant(words.list("currencies").stream().map(Sql::literal).toList());
        }
        if (n.matches(".*(locale|language|lang)$")) {
            return dominant(words.list("languages").stream().map(Sql::literal).toList());
        }
        if (n.matches("(status|state)")) {
            return dominant(words.list("statuses").stream().map(Sql::literal).toList());
        }
        if (n.matches(".*(kind|type|category|plan|tier|visibility)$")) {
            return dominant(words.list("kinds").stream().map(Sql::literal).toList());
        }
        if (n.matches(".*(code|sku|token|ref|reference|key|hash)$")) {
            return "upper(substr(md5(random()::text), 1, 10))";
        }
        return words.pick("words") + " || ' ' || " + words.pick("words");
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }
}
