package dev.backendteam.security.engine.lint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The security lint catalogue as data: {@code rules.yaml} (ids, severities, docs, message and fix templates, the
 * schemas never linted, the sensitive column names) and one SQL file per rule under {@code sql/}, read from the
 * class path. {@code tables.sql} lists the tables the intent is asked about.
 */
public record LintCatalogue(List<String> ignoredSchemas, List<String> sensitiveColumns, LintRule failure,
                            List<LintRule> rules, String tablesSql) {
    /** Where the standard catalogue lives on the class path. */
    public static final String STANDARD = "/dev/backendteam/security/lint";
    private static final Pattern ID = Pattern.compile("security\\.[a-z0-9]+(-[a-z0-9]+)*");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static volatile LintCatalogue standard;

    private record Data(List<String> ignoredSchemas, List<String> sensitiveColumns, LintRule failure,
                        List<LintRule> rules) {
    }

    public LintCatalogue {
        ignoredSchemas = List.copyOf(ignoredSchemas);
        sensitiveColumns = List.copyOf(sensitiveColumns);
        rules = List.copyOf(rules);
    }

    public static LintCatalogue standard() {
        LintCatalogue c = standard;
        if (c == null) {
            c = load(STANDARD);
            standard = c;
        }
        return c;
    }

    /** Reads {@code <dir>/rules.yaml}, {@code <dir>/tables.sql} and {@code <dir>/sql/<id>.sql} for every rule. */
    public static LintCatalogue load(String dir) {
        Data data;
        try (InputStream in = resource(dir + "/rules.yaml")) {
            data = YAML.readValue(in, Data.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir + "/rules.yaml", e);
        }
        if (data.rules() == null || data.failure() == null || data.ignoredSchemas() == null
                || data.sensitiveColumns() == null) {
            throw new IllegalStateException(dir + "/rules.yaml needs ignoredSchemas, sensitiveColumns, failure and rules");
        }
        List<LintRule> rules = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (LintRule r : data.rules()) {
            check(r, dir);
            if (!ids.add(r.id())) {
                throw new IllegalStateException(dir + "/rules.yaml: rule " + r.id() + " appears twice");
            }
            rules.add(r.withSql(text(dir + "/sql/" + r.id() + ".sql")));
        }
        check(data.failure(), dir);
        return new LintCatalogue(data.ignoredSchemas(), data.sensitiveColumns(), data.failure(), rules,
                text(dir + "/tables.sql"));
    }

    public Optional<LintRule> rule(String id) {
        return rules.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    private static void check(LintRule r, String dir) {
        String where = dir + "/rules.yaml: rule " + r.id();
        if (!ID.matcher(r.id()).matches()) {
            throw new IllegalStateException(where + ": an id is security.<words-with-dashes>");
        }
        if (r.severity() == null || r.title() == null || r.doc() == null || r.message() == null) {
            throw new IllegalStateException(where + " needs severity, title, doc and message");
        }
        for (Map.Entry<String, LintRule.Variant> v : r.variants().entrySet()) {
            LintRule.Variant resolved = r.resolve(v.getKey());
            if (resolved.fixKind() != FixKind.NONE && resolved.fix() == null) {
                throw new IllegalStateException(where + ", variant " + v.getKey() + ": a fix is needed unless fixKind is none");
            }
        }
        if (r.fixKind() != FixKind.NONE && r.fix() == null) {
            throw new IllegalStateException(where + ": a fix is needed unless fixKind is none");
        }
    }

    private static InputStream resource(String path) {
        InputStream in = LintCatalogue.class.getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException("missing resource " + path);
        }
        return in;
    }

    private static String text(String path) {
        try (InputStream in = resource(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
