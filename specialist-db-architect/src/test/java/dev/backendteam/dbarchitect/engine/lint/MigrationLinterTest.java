package dev.backendteam.dbarchitect.engine.lint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Severity;
import dev.backendteam.dbarchitect.engine.Migration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every rule of the catalogue, from {@code lint-cases.yaml}: a positive case raises it at the expected line with a
 * fix, a negative case does not, and the positive case rewritten as the fix says does not either.
 */
class MigrationLinterTest {
    private static final MigrationLinter LINTER = MigrationLinter.standard();
    private static List<Case> cases;

    record Case(String rule, String before, String positive, int line, String negative, String fixed) {
        @Override
        public String toString() {
            return rule;
        }
    }

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = MigrationLinterTest.class.getResourceAsStream("/lint-cases.yaml")) {
            JsonNode list = new YAMLMapper().readTree(in);
            cases = new ArrayList<>();
            for (JsonNode c : list) {
                cases.add(new Case(c.path("rule").asText(), c.path("before").asText(null), c.path("positive").asText(),
                        c.path("line").asInt(), c.path("negative").asText(), c.path("fixed").asText()));
            }
        }
    }

    static Stream<Case> cases() throws Exception {
        if (cases == null) {
            load();
        }
        return cases.stream();
    }

    /** Findings of {@code rule} about the script under test (not about {@code before}). */
    private static List<Finding> lint(Case c, String sql) {
        List<Migration> run = new ArrayList<>();
        if (c.before() != null) {
            run.add(new Migration("before", c.before(), null));
        }
        run.add(new Migration("case", sql, null));
        LintReport report = LINTER.lint(null, null, run);
        return report.about(Set.of("case")).stream().filter(f -> f.ruleId().equals(c.rule())).toList();
    }

    @ParameterizedTest(name = "{0}: raised by the positive case")
    @MethodSource("cases")
    void positive(Case c) {
        List<Finding> found = lint(c, c.positive());
        assertFalse(found.isEmpty(), c.rule() + " not raised by:\n" + c.positive());
        Finding f = found.get(0);
        assertEquals(c.line(), f.line(), "line of " + f);
        assertEquals(LINTER.rules().get(c.rule()).severity(), f.severity());
        assertTrue(f.fix() != null && !f.fix().isBlank(), "every finding carries a fix");
        assertFalse(f.message().contains("{") || f.fix().contains("{object}"), "placeholders filled: " + f);
        assertFalse(f.message().startsWith(" ") || f.message().contains("  ")
                        || f.message().matches("(?s).*(?<!not )\\bnull\\b.*"),
                "a message with nothing missing: " + f.message());
    }

    @ParameterizedTest(name = "{0}: not raised by the negative case")
    @MethodSource("cases")
    void negative(Case c) {
        assertEquals(List.of(), lint(c, c.negative()));
    }

    @ParameterizedTest(name = "{0}: cleared by its fix")
    @MethodSource("cases")
    void fixed(Case c) {
        assertEquals(List.of(), lint(c, c.fixed()));
    }

    @Test
    void everyRuleOfTheCatalogueHasItsCase() throws Exception {
        Set<String> covered = new TreeSet<>();
        cases().forEach(c -> covered.add(c.rule()));
        assertEquals(new TreeSet<>(LINTER.rules().keySet()), covered);
        assertEquals(new TreeSet<>(MigrationLinter.RULE_IDS), covered);
    }

    @Test
    void aDownScriptMayDropWhatItsUpCreated() {
        Migration m = new Migration("create_note", "set lock_timeout = '5s'; set statement_timeout = '60s';\n"
                + "create table if not exists public.note (id uuid primary key);\n"
                + "create index if not exists idx_note_id2 on public.note (id);",
                "set lock_timeout = '5s'; set statement_timeout = '60s';\n"
                        + "drop index if exists idx_note_id2;\ndrop table if exists public.note;");
        LintReport report = LINTER.lint(null, null, List.of(m));
        assertEquals(List.of(), report.findings());
        LintReport other = LINTER.lint(null, null, List.of(m, new Migration("drop_note", "set lock_timeout = '5s';"
                + " set statement_timeout = '60s'; drop table if exists public.note;", null)));
        assertEquals(List.of("lint.drop-table"), other.findings().stream().map(Finding::ruleId).toList());
        assertEquals("drop_note", other.sources().get(0));
    }

    @Test
    void aBaselineCountsAsExistingAndFindingsNameTheirScriptAndLine() {
        LintReport report = LINTER.lint("sql", "create table if not exists public.post (id uuid primary key);",
                List.of(new Migration("index_post", "set lock_timeout = '5s';\nset statement_timeout = '60s';\n"
                        + "create index if not exists idx_post_id on public.post (id);", null)));
        Finding f = report.findings().stream().filter(x -> x.ruleId().equals("lint.index-not-concurrent"))
                .findFirst().orElseThrow();
        assertEquals("index_post: public.post", f.object());
        assertEquals(3, f.line());
        assertEquals(Severity.ERROR, f.severity());
    }

    @Test
    void aConstraintValidatedInALaterMigrationIsValidated() {
        String header = "set lock_timeout = '5s'; set statement_timeout = '60s';\n";
        LintReport report = LINTER.lint("sql", "create table if not exists public.post (id uuid primary key, n int);",
                List.of(new Migration("add_check", header + "alter table public.post add constraint post_n_check"
                                + " check (n > 0) not valid;", null),
                        new Migration("validate_check", header + "alter table public.post validate constraint"
                                + " post_n_check;", null)));
        assertTrue(report.findings().stream().noneMatch(f -> f.ruleId().equals("lint.constraint-not-validated")),
                report.findings().toString());
    }

    @Test
    void hostileTextInsideAFunctionBodyIsFoundToo() {
        LintReport report = LINTER.lintScript("sql", "do $$ begin perform pg_read_file('/etc/passwd'); end $$;\n"
                + "select 'pg_read_file(x)';");
        assertTrue(report.rejected());
        assertEquals(1, report.findings().stream().filter(f -> f.ruleId().equals("lint.server-escape")).count(),
                report.findings().toString());
    }

    @Test
    void arbitraryTextNeverThrows() {
        Random random = new Random(42);
        String alphabet = "abcdefghijklmnopqrstuvwxyz_ ()',;\"$-/*\\\n\tE0123456789.:[]=<>";
        List<String> words = List.of("create ", "table ", "index ", "alter ", "add ", "column ", "constraint ",
                "drop ", "not ", "null ", "default ", "references ", "on delete ", "begin;", "commit;", "$$", "$x$",
                "concurrently ", "if not exists ", "primary key ", "unique ", "check ", "(", ")", ",", ";", "'", "\"",
                "/*", "*/", "--", "\n", "type ", "rename ", "to ", "using ", "validate ", "truncate ", "cascade ");
        for (int i = 0; i < 2000; i++) {
            StringBuilder sql = new StringBuilder();
            int length = random.nextInt(60);
            for (int j = 0; j < length; j++) {
                sql.append(random.nextBoolean() ? words.get(random.nextInt(words.size()))
                        : String.valueOf(alphabet.charAt(random.nextInt(alphabet.length()))));
            }
            String text = sql.toString();
            assertDoesNotThrow(() -> LINTER.lint("sql", text, List.of(new Migration("m", text, text))), text);
        }
    }
}
