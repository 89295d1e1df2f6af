package dev.backendteam.orchestrator.engine;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ExposedTablesTest {

    @Test
    void createTableStatementsAreReadAsPostgresNamesThem() {
        String sql = """
                create table Invoice (id bigint primary key);
                CREATE TABLE IF NOT EXISTS "public"."Line Item" (id bigint primary key);
                create unlogged table public . cache (k text);
                create table api.widget (id int);
                create table private.ledger (id int);
                create temp table scratch (id int);
                create table copy_of_invoice as select * from invoice;
                """;
        assertEquals(List.of("public.invoice", "public.Line Item", "public.cache", "public.copy_of_invoice"),
                ExposedTables.created(List.of(sql), Set.of("public")));
        assertEquals(List.of("public.invoice", "public.Line Item", "public.cache", "api.widget",
                "public.copy_of_invoice"), ExposedTables.created(List.of(sql), Set.of("public", "api")));
    }

    @Test
    void wordsInCommentsStringsAndFunctionBodiesAreNoStatementsAndATableCountsOnce() {
        String sql = """
                -- create table public.in_a_comment (id int);
                /* create table public.in_a_block (id int); */
                create table t (note text default 'create table public.in_a_string (id int);');
                create function f() returns void language plpgsql as $$
                begin
                    create table public.in_a_body (id int);
                end $$;
                """;
        assertEquals(List.of("public.t"), ExposedTables.created(List.of(sql, "create table if not exists t (id int);"),
                Set.of("public")));
    }
}
