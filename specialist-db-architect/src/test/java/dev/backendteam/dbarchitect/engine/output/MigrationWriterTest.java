package dev.backendteam.dbarchitect.engine.output;

import dev.backendteam.dbarchitect.engine.Migration;
import dev.backendteam.dbarchitect.engine.design.ExistingSchema;
import dev.backendteam.dbarchitect.engine.lint.LintReport;
import dev.backendteam.dbarchitect.engine.lint.MigrationLinter;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Key lines of the generated migrations: each convention of BRIEF §6 appears where it must. */
class MigrationWriterTest {
    private static final List<Migration> BRIEF = MigrationWriter.write(Designs.briefExample(), ExistingSchema.empty());
    private static final Map<String, Migration> BY_NAME = BRIEF.stream()
            .collect(Collectors.toMap(Migration::name, Function.identity()));

    private static List<String> lines(String sql) {
        return sql.lines().map(String::strip).toList();
    }

    private static void assertHasLine(String migration, String line) {
        List<String> lines = lines(BY_NAME.get(migration).up());
        assertTrue(lines.contains(line), migration + " lacks the line\n  " + line + "\nin\n" + BY_NAME.get(migration)
                .up());
    }

    @Test
    void migrationsAreNamedByPurposeInDependencyOrderTriggerFunctionFirst() {
        assertEquals(List.of("create_set_updated_at_function", "create_organization", "create_membership",
                "create_project", "create_task", "create_profile", "create_audit_event", "create_tag",
                "create_task_tag"), BRIEF.stream().map(Migration::name).toList());
    }

    @Test
    void everyMigrationStartsWithItsTimeoutsAndHasADownScript() {
        for (Migration m : BRIEF) {
            List<String> code = lines(m.up()).stream().filter(l -> !l.startsWith("--") && !l.isEmpty()).toList();
            assertEquals(List.of("set lock_timeout = '5s';", "set statement_timeout = '60s';"), code.subList(0, 2),
                    m.name());
            List<String> down = lines(m.down()).stream().filter(l -> !l.startsWith("--") && !l.isEmpty()).toList();
            assertEquals("set lock_timeout = '5s';", down.get(0), m.name());
        }
        assertEquals("drop table if exists public.task;", lines(BY_NAME.get("create_task").down()).get(4));
        assertTrue(BY_NAME.get("create_set_updated_at_function").down()
                .contains("drop function if exists public.set_updated_at();"));
    }

    @Test
    void theTriggerFunctionIsIdempotentWithAFixedSearchPath() {
        String up = BY_NAME.get("create_set_updated_at_function").up();
        assertTrue(up.contains("create or replace function public.set_updated_at()"));
        assertTrue(up.contains("set search_path = ''"));
        assertTrue(up.contains("new.updated_at := now();"));
    }

    @Test
    void aTableHasAUuidKeyTimestampsItsTriggerAndRowLevelSecurity() {
        assertHasLine("create_organization", "create table if not exists public.organization (");
        assertHasLine("create_organization", "id uuid primary key default gen_random_uuid(),");
        assertHasLine("create_organization", "name text not null,");
        assertHasLine("create_organization", "created_at timestamptz not null default now(),");
        assertHasLine("create_organization", "updated_at timestamptz not null default now()");
        assertHasLine("create_organization", "create or replace trigger organization_set_updated_at");
        assertHasLine("create_organization", "for each row execute function public.set_updated_at();");
        assertHasLine("create_organization", "alter table public.organization enable row level security;");
    }

    @Test
    void belongsToOwnerEnumAndSoftDeleteFollowTheConventions() {
        assertHasLine("create_task", "project_id uuid not null constraint task_project_id_fkey references"
                + " public.project (id) on delete cascade,");
        assertHasLine("create_task", "user_id uuid not null default auth.uid() constraint task_user_id_fkey"
                + " references auth.users (id) on delete cascade,");
        assertHasLine("create_task", "status text not null default 'todo' constraint task_status_check check"
                + " (status in ('todo', 'doing', 'done')),");
        assertHasLine("create_task", "due_at timestamptz,");
        assertHasLine("create_task", "deleted_at timestamptz,");
        assertHasLine("create_task", "create index if not exists idx_task_project_id on public.task (project_id);");
        assertHasLine("create_task", "create index if not exists idx_task_user_id on public.task (user_id);");
    }

    @Test
    void tenancyAndMembershipAreKeyedAndIndexed() {
        assertHasLine("create_project", "organization_id uuid not null constraint project_organization_id_fkey"
                + " references public.organization (id) on delete cascade,");
        assertHasLine("create_project", "create index if not exists idx_project_organization_id on public.project"
                + " (organization_id);");
        assertHasLine("create_membership", "role text not null default 'member' constraint membership_role_check"
                + " check (role in ('owner', 'admin', 'member')),");
        assertHasLine("create_membership", "constraint membership_pkey primary key (organization_id, user_id)");
        assertHasLine("create_membership", "create index if not exists idx_membership_user_id on public.membership"
                + " (user_id);");
        assertFalse(BY_NAME.get("create_membership").up().contains("idx_membership_organization_id"),
                "organization_id leads the primary key: no second index");
    }

    @Test
    void aJoinTableHasACompositeKeyAndAnIndexOnTheSecondColumnOnly() {
        assertHasLine("create_task_tag", "constraint task_tag_pkey primary key (task_id, tag_id)");
        assertHasLine("create_task_tag", "create index if not exists idx_task_tag_tag_id on public.task_tag"
                + " (tag_id);");
        assertFalse(BY_NAME.get("create_task_tag").up().contains("idx_task_tag_task_id"));
        assertFalse(BY_NAME.get("create_task_tag").up().contains(" id uuid"));
    }

    @Test
    void noForbiddenTypeAppearsAnywhere() {
        for (Migration m : BRIEF) {
            String sql = m.up().toLowerCase();
            for (String forbidden : List.of("serial", "varchar", "character varying", "timestamp ", "timestamp,",
                    "money", " json ")) {
                assertFalse(sql.contains(forbidden), m.name() + " contains " + forbidden);
            }
        }
    }

    @Test
    void theEightEntityExamplePassesTheLinterWithoutAnyFinding() {
        LintReport report = MigrationLinter.standard().lint(null, null, BRIEF);
        assertEquals(List.of(), report.findings());
        assertEquals(18, report.scripts(), "every up and every down script was linted");
    }

    @Test
    void identityKeysMoneyUniqueFieldsChecksAndDescriptions() {
        List<Migration> ms = MigrationWriter.write(Designs.of("""
                entities:
                  - name: invoice
                    description: "An invoice's header"
                    primaryKey: identity
                    softDelete: true
                    fields:
                      number: { type: text, nullable: false, unique: true, description: "Printed on the invoice" }
                      total: numeric(12,2)!
                      paid: { type: boolean, default: false }
                      lines: { type: jsonb, default: "[]" }
                      issued_on: { type: date, default: current_date }
                      starts_at: timestamptz
                      ends_at: timestamptz
                    checks: ["starts_at < ends_at"]
                  - name: invoice_line
                    belongsTo: invoice
                    unique: [[invoice_id, position]]
                    fields: { position: integer!, amount: { type: "numeric(12,2)", check: "amount >= 0" } }
                """), ExistingSchema.empty());
        String invoice = ms.get(1).up();
        assertTrue(invoice.contains("  id bigint generated always as identity primary key,\n"), invoice);
        assertTrue(invoice.contains("  number text not null,\n"));
        assertTrue(invoice.contains("  total numeric(12,2) not null,\n"));
        assertTrue(invoice.contains("  paid boolean not null default false,\n"));
        assertTrue(invoice.contains("  lines jsonb not null default '[]'::jsonb,\n"));
        assertTrue(invoice.contains("  issued_on date not null default current_date,\n"));
        assertTrue(invoice.contains("  constraint invoice_check1 check (starts_at < ends_at)\n"));
        assertTrue(invoice.contains("create unique index if not exists idx_invoice_number on public.invoice (number)"
                + " where deleted_at is null;"), "unique among live rows when soft-deleted");
        assertTrue(invoice.contains("comment on table public.invoice is 'An invoice''s header';"));
        assertTrue(invoice.contains("comment on column public.invoice.number is 'Printed on the invoice';"));
        String line = ms.get(2).up();
        assertTrue(line.contains("  invoice_id bigint not null constraint invoice_line_invoice_id_fkey references"
                + " public.invoice (id) on delete cascade,\n"), "the key type follows the referenced key");
        assertTrue(line.contains("  amount numeric(12,2) constraint invoice_line_amount_check check (amount >= 0),"));
        assertTrue(line.contains("  constraint invoice_line_invoice_id_position_key unique (invoice_id, position)"));
        assertFalse(line.contains("idx_invoice_line_invoice_id"), "the unique constraint already leads with it");
        assertEquals(List.of(), MigrationLinter.standard().lint(null, null, ms).findings());
    }

    @Test
    void aSelfReferenceIsANullableParent() {
        String sql = MigrationWriter.write(Designs.of("entities: [ { name: category, belongsTo: category } ]"),
                ExistingSchema.empty()).get(1).up();
        assertTrue(sql.contains("  parent_id uuid constraint category_parent_id_fkey references public.category (id)"
                + " on delete cascade,\n"), sql);
    }

    @Test
    void theTriggerFunctionIsNotCreatedTwice() {
        ExistingSchema existing = ExistingSchema.scan(List.of(new ExistingSchema.Script(
                "create_set_updated_at_function", BY_NAME.get("create_set_updated_at_function").up())));
        assertEquals(List.of("create_note"), MigrationWriter.write(Designs.of("entities: [ { name: note } ]"),
                existing).stream().map(Migration::name).toList());
    }
}
