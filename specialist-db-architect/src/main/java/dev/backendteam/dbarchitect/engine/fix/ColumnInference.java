package dev.backendteam.dbarchitect.engine.fix;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.backendteam.dbarchitect.engine.proof.SchemaCatalog;
import dev.backendteam.dbarchitect.engine.sql.Token;
import dev.backendteam.dbarchitect.engine.sql.TokenType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Infers a missing column's definition from the failing statement, most certain evidence first: a cast on its value
 * ({@code $1::uuid}), its literal value ({@code 42}, {@code true}, {@code '2026-01-01'}, {@code now()}), a key it must
 * reference ({@code post_id} → the key of {@code posts}, typed as that key), the naming conventions of
 * {@code fix-inference.yaml}, else {@code text}. Each result says which rule decided and what it assumed.
 */
public final class ColumnInference {
    public static final String RESOURCE = "/dev/backendteam/dbarchitect/fix-inference.yaml";
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}"
            + "-[0-9a-fA-F]{12}");
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}.*");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    /** A name rule of the catalogue. */
    public record NameRule(String id, String pattern, String type, boolean notNull,
            @JsonProperty("default") String defaultSql, String because) {
    }

    /** The catalogue file's shape. */
    record Catalogue(List<NameRule> names) {
    }

    /** A foreign key the column must have: to {@code schema.table (column)}. */
    public record Reference(String schema, String table, String column) {
    }

    /** What was inferred: the column's definition, the rule that decided it and why. */
    public record Guess(String name, String type, boolean notNull, String defaultSql, Reference reference,
            String rule, String because) {
    }

    private final List<NameRule> rules;

    private ColumnInference(List<NameRule> rules) {
        this.rules = rules;
    }

    public static ColumnInference standard() {
        try (InputStream in = ColumnInference.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            Catalogue c = YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build()
                    .readValue(in, Catalogue.class);
            return new ColumnInference(List.copyOf(c.names()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<NameRule> rules() {
        return rules;
    }

    /**
     * {@code value}: the tokens the statement gives or compares the column with (may be empty);
     * {@code statement} for the casts of its parameters; {@code catalog} for the keys a {@code *_id} may reference.
     */
    public Guess infer(String name, List<Token> value, FailingStatement statement, SchemaCatalog catalog) {
        Optional<Guess> cast = cast(name, value, statement);
        if (cast.isPresent()) {
            return cast.get();
        }
        Optional<Guess> key = key(name, catalog);
        if (key.isPresent()) {
            return key.get();
        }
        Optional<NameRule> byName = rules.stream().filter(r -> name.toLowerCase(Locale.ROOT).matches(r.pattern()))
                .findFirst();
        Optional<Guess> literal = literal(name, value);
        if (literal.isPresent()) {
            Guess g = literal.get();
            // the name's convention agrees on the type: its NOT NULL and default hold too
            return byName.filter(r -> r.type().equals(g.type())).map(r -> new Guess(name, g.type(), r.notNull(),
                    r.defaultSql(), null, g.rule(), g.because() + ", as its name says (" + r.because() + ")"))
                    .orElse(g);
        }
        if (byName.isPresent()) {
            NameRule r = byName.get();
            return new Guess(name, r.type(), r.notNull(), r.defaultSql(), null, r.id(), r.because());
        }
        return new Guess(name, "text", false, null, null, "infer.default-text", "nothing in the statement says"
                + " more than that it holds a value: text, the convention's default");
    }

    private static Optional<Guess> cast(String name, List<Token> value, FailingStatement statement) {
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (value.size() >= 3 && value.get(1).text().equals("::")) {
            return Optional.of(new Guess(name, value.get(2).name(), false, null, null, "infer.cast",
                    "the statement casts its value to " + value.get(2).name()));
        }
        Token v = value.get(0);
        if (v.type() == TokenType.PARAM && statement.castOf(v.text()).isPresent()) {
            String type = statement.castOf(v.text()).get();
            return Optional.of(new Guess(name, type, false, null, null, "infer.cast", "the statement casts "
                    + v.text() + " to " + type + " elsewhere"));
        }
        return Optional.empty();
    }

    /** {@code post_id}: the key of {@code posts} or {@code post} (or {@code auth.users} for user_id). */
    private static Optional<Guess> key(String name, SchemaCatalog catalog) {
        if (!name.endsWith("_id") || name.length() <= 3) {
            return Optional.empty();
        }
        String stem = name.substring(0, name.length() - 3);
        for (String candidate : List.of(stem + "s", stem, stem + "es", stem.endsWith("y")
                ? stem.substring(0, stem.length() - 1) + "ies" : stem + "s")) {
            for (SchemaCatalog.Relation r : catalog.userRelations()) {
                if (r.isTable() && r.name().equals(candidate) && r.primaryKey().isPresent()) {
                    return Optional.of(reference(name, r));
                }
            }
        }
        if (stem.equals("user") || stem.equals("owner") || stem.equals("author")) {
            Optional<SchemaCatalog.Relation> users = catalog.relation("auth", "users");
            if (users.isPresent() && users.get().primaryKey().isPresent()) {
                return Optional.of(reference(name, users.get()));
            }
        }
        return Optional.empty();
    }

    private static Guess reference(String name, SchemaCatalog.Relation r) {
        SchemaCatalog.Column pk = r.primaryKey().orElseThrow();
        return new Guess(name, pk.type(), false, null, new Reference(r.schema(), r.name(), pk.name()), "infer.key",
                name + " names a row of " + r.qualified() + ": a foreign key to its key " + pk.name() + ", typed as"
                + " that key (" + pk.type() + ")");
    }

    private static Optional<Guess> literal(String name, List<Token> value) {
        if (value.isEmpty()) {
            return Optional.empty();
        }
        Token v = value.get(0);
        String type = null;
        String what = null;
        if (v.type() == TokenType.NUMBER) {
            type = v.text().matches("\\d+") ? "bigint" : "numeric";
            what = "the number " + v.text();
        } else if (v.isAny("true", "false")) {
            type = "boolean";
            what = v.text();
        } else if (v.isAny("now", "current_timestamp", "localtimestamp")) {
            type = "timestamptz";
            what = v.text();
        } else if (v.type() == TokenType.STRING) {
            String s = v.stringValue();
            what = "'" + s + "'";
            type = UUID.matcher(s).matches() ? "uuid" : TIMESTAMP.matcher(s).matches() ? "timestamptz"
                    : DATE.matcher(s).matches() ? "date" : s.startsWith("{") && s.endsWith("}") ? "jsonb" : "text";
        }
        if (type == null) {
            return Optional.empty();
        }
        return Optional.of(new Guess(name, type, false, null, null, "infer.literal", "the statement gives it "
                + what + ": " + type));
    }
}
