package dev.backendteam.dbarchitect.engine.output;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TypeScriptTypesTest {
    private static final String TS = TypeScriptTypes.render(Designs.briefExample());

    /** The lines of one table's block (Row, Insert, Update, Relationships), stripped. */
    private static List<String> block(String table, String part) {
        List<String> lines = TS.lines().toList();
        int start = lines.indexOf("      " + table + ": {");
        int from = start;
        while (!lines.get(from).strip().equals(part + ": {")) {
            from++;
        }
        int to = from + 1;
        while (!lines.get(to).strip().equals("}")) {
            to++;
        }
        return lines.subList(from + 1, to).stream().map(String::strip).toList();
    }

    @Test
    void rowsSayWhatIsNullableAndClosedSetsAreUnions() {
        assertEquals(List.of("id: string", "project_id: string", "user_id: string", "title: string",
                "status: \"todo\" | \"doing\" | \"done\"", "due_at: string | null", "deleted_at: string | null",
                "created_at: string", "updated_at: string"), block("task", "Row"));
    }

    @Test
    void insertsMayOmitWhatHasADefaultOrMayBeNull() {
        assertEquals(List.of("id?: string", "project_id: string", "user_id?: string", "title: string",
                "status?: \"todo\" | \"doing\" | \"done\"", "due_at?: string | null", "deleted_at?: string | null",
                "created_at?: string", "updated_at?: string"), block("task", "Insert"));
        assertTrue(block("task", "Update").stream().allMatch(l -> l.contains("?: ")));
    }

    @Test
    void supabaseShapeRelationshipsAndAliases() {
        assertTrue(TS.contains("export type Database = {\n  public: {\n    Tables: {\n"));
        assertTrue(TS.contains("""
                          {
                            foreignKeyName: "task_project_id_fkey"
                            columns: ["project_id"]
                            isOneToOne: false
                            referencedRelation: "project"
                            referencedColumns: ["id"]
                          },
                """));
        assertTrue(TS.contains("export type Task = Database[\"public\"][\"Tables\"][\"task\"][\"Row\"]\n"));
        assertTrue(TS.contains("export type TaskStatus = \"todo\" | \"doing\" | \"done\"\n"));
        assertTrue(TS.contains("export type MembershipRole = \"owner\" | \"admin\" | \"member\"\n"));
        assertTrue(TS.contains("export type AuditEventInsert = "));
        assertEquals(TS.chars().filter(c -> c == '{').count(), TS.chars().filter(c -> c == '}').count(),
                "braces balance");
    }

    @Test
    void typesFollowTheColumnTypes() {
        String ts = TypeScriptTypes.render(Designs.of("""
                entities:
                  - name: item
                    primaryKey: identity
                    fields: { price: "numeric(12,2)!", tags: "text[]", meta: jsonb, ok: boolean, n: bigint }
                """));
        List<String> lines = ts.lines().map(String::strip).toList();
        assertTrue(lines.contains("price: number"));
        assertTrue(lines.contains("tags: string[] | null"));
        assertTrue(lines.contains("meta: Json | null"));
        assertTrue(lines.contains("ok: boolean | null"));
        assertTrue(lines.contains("n: number | null"));
        assertTrue(lines.contains("id: number"));
        assertTrue(lines.contains("id?: never"), "generated always as identity cannot be written");
    }
}
