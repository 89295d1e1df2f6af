package dev.backendteam.dbarchitect.engine.typescript;

import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.EvidenceStatus;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real compiler against the pinned supabase-js types: typed queries compile, a mistyped one fails, none lies. */
class TypeScriptCompileTest {
    static final String DATABASE = """
            export type Database = {
              public: {
                Tables: {
                  posts: {
                    Row: { id: string; title: string }
                    Insert: { id?: string; title: string }
                    Update: { id?: string; title?: string }
                    Relationships: []
                  }
                }
                Views: { [_ in never]: never }
                Functions: { post_count: { Args: { p_author: string }; Returns: number } }
                Enums: { [_ in never]: never }
                CompositeTypes: { [_ in never]: never }
              }
            }
            """;
    static final String CLIENT = """
            import { createClient } from "@supabase/supabase-js";
            import type { Database } from "./database.types";
            const supabase = createClient<Database>("http://localhost:54321", "anon-key");
            export async function titles(): Promise<string[]> {
              const { data } = await supabase.from("posts").select("id, title").limit(10);
              return (data ?? []).map((p) => p.title);
            }
            export async function count(author: string): Promise<%s | null> {
              const { data } = await supabase.rpc("post_count", { p_author: author });
              return data;
            }
            """;
    final TypeScriptCompile compile = new TypeScriptCompile(
            TypeScriptToolchain.locate(Optional.empty(), TypeScriptToolchain.DEFAULT_TIMEOUT));

    @Test
    void typedClientCodeCompiles() {
        Evidence e = compile.check("tsc", Map.of("database.types.ts", DATABASE, "client.ts", CLIENT.formatted("number")));

        assertEquals(EvidenceStatus.PASSED, e.status(), e.details());
    }

    @Test
    void aWrongTypeAgainstTheGeneratedDatabaseFails() {
        Evidence e = compile.check("tsc", Map.of("database.types.ts", DATABASE, "client.ts", CLIENT.formatted("string")));

        assertEquals(EvidenceStatus.FAILED, e.status(), e.details());
        assertTrue(e.details().contains("client.ts") && e.details().contains("TS2322"), e.details());
    }

    @Test
    void anUnknownTableFails() {
        Evidence e = compile.check("tsc", Map.of("database.types.ts", DATABASE, "client.ts",
                CLIENT.formatted("number").replace("from(\"posts\")", "from(\"postz\")")));

        assertEquals(EvidenceStatus.FAILED, e.status(), e.details());
    }

    @Test
    void aMissingToolchainIsNotRunNeverPassed() {
        TypeScriptCompile none = new TypeScriptCompile(TypeScriptToolchain.at(Path.of("target/no-toolchain"),
                TypeScriptToolchain.DEFAULT_TIMEOUT));

        Evidence e = none.check("tsc", Map.of("client.ts", CLIENT.formatted("number")));

        assertEquals(EvidenceStatus.NOT_RUN, e.status(), e.details());
        assertTrue(e.details().contains("TypeScript compiler") && e.details().contains("npm ci"), e.details());
    }
}
