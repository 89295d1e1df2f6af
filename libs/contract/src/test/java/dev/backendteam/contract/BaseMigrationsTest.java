package dev.backendteam.contract;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BaseMigrationsTest {

    private static List<String> base(String... paths) {
        List<FileInput> files = java.util.Arrays.stream(paths).map(p -> new FileInput(p, "-- " + p)).toList();
        return BaseMigrations.of(files).stream().map(FileInput::path).toList();
    }

    @Test
    void aSupabaseMigrationsFolderAppliesInTheCliOrderWhateverOrderTheFilesCameIn() {
        assertEquals(List.of("supabase/migrations/20240101000000_init.sql",
                        "supabase/migrations/20240215093000_comments.sql",
                        "supabase/migrations/20241130120000_rls.sql"),
                base("package.json", "supabase/migrations/20241130120000_rls.sql", "supabase/seed.sql",
                        "supabase/migrations/20240101000000_init.sql", "supabase/config.toml",
                        "supabase/migrations/20240215093000_comments.sql"));
    }

    @Test
    void numberedFilesCompareAsNumbers() {
        assertEquals(List.of("db/migration/V1__init.sql", "db/migration/V2__users.sql",
                        "db/migration/V10__orders.sql"),
                base("db/migration/V10__orders.sql", "db/migration/V2__users.sql", "db/migration/V1__init.sql"));
    }

    @Test
    void withoutAMigrationsFolderEverySqlFileCountsInTheOrderGiven() {
        assertEquals(List.of("schema/tables.sql", "schema/functions.sql"),
                base("schema/tables.sql", "README.md", "schema/functions.sql"));
    }

    @Test
    void seedsAndDownScriptsAreNeverPartOfTheBase() {
        assertTrue(base("supabase/seed.sql", "migrations/001_init.down.sql", "supabase/rollbacks/001_init.sql",
                "Dockerfile").isEmpty());
        assertEquals(List.of("migrations/001_init.sql"), base("migrations/001_init.sql",
                "migrations/001_init.down.sql"));
    }

    @Test
    void naturalOrderPutsShorterNumbersFirstAndKeepsLeadingZerosStable() {
        assertTrue(BaseMigrations.natural("v2", "v10") < 0);
        assertTrue(BaseMigrations.natural("001_a", "002_a") < 0);
        assertTrue(BaseMigrations.natural("a", "a") == 0);
        assertTrue(BaseMigrations.natural("a1", "a1b") < 0);
    }
}
