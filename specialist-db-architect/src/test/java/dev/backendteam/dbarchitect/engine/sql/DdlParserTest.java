package dev.backendteam.dbarchitect.engine.sql;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DdlParserTest {

    private static Ddl parse(String sql) {
        return DdlParser.parse(SqlScript.parse(sql).statements().get(0));
    }

    @Test
    void createTableReadsColumnsTypesKeysAndReferences() {
        Ddl.CreateTable t = (Ddl.CreateTable) parse("""
                create table if not exists App.Task (
                  id bigint generated always as identity primary key,
                  project_id uuid not null constraint fk references public.project (id) on delete set null,
                  title character varying(200) default 'x' not null,
                  at timestamp(3) without time zone,
                  tags text[],
                  constraint task_title_key unique (title)
                )""");
        assertEquals("app.task", t.table().key());
        assertTrue(t.ifNotExists());
        assertEquals(List.of("id", "project_id", "title", "at", "tags"), t.columns().stream().map(ColumnDef::name)
                .toList());
        ColumnDef id = t.columns().get(0);
        assertTrue(id.primaryKey() && id.identity());
        assertEquals("bigint", id.type().base());
        ColumnDef project = t.columns().get(1);
        assertEquals("public.project", project.references().table().key());
        assertEquals("set null", project.references().onDelete());
        ColumnDef title = t.columns().get(2);
        assertEquals("varchar", title.type().base());
        assertEquals("(200)", title.type().modifiers());
        assertTrue(title.notNull() && title.hasDefault());
        assertEquals("timestamp", t.columns().get(3).type().base());
        assertTrue(t.columns().get(4).type().array());
        assertEquals(TableConstraint.Kind.UNIQUE, t.constraints().get(0).kind());
    }

    @Test
    void alterTableReadsEachAction() {
        Ddl.AlterTable a = (Ddl.AlterTable) parse("alter table only post add column if not exists n int not null"
                + " default 0, add constraint c foreign key (a) references p (id) not valid, alter column t type text"
                + " using t::text, drop column if exists x, validate constraint c, alter t set not null");
        assertEquals(6, a.actions().size());
        assertInstanceOf(AlterAction.AddColumn.class, a.actions().get(0));
        AlterAction.AddConstraint fk = (AlterAction.AddConstraint) a.actions().get(1);
        assertTrue(fk.constraint().notValid());
        assertNull(fk.constraint().references().onDelete());
        assertEquals("text", ((AlterAction.AlterType) a.actions().get(2)).type().base());
        assertTrue(((AlterAction.DropColumn) a.actions().get(3)).ifExists());
        assertEquals("c", ((AlterAction.ValidateConstraint) a.actions().get(4)).name());
        assertInstanceOf(AlterAction.SetNotNull.class, a.actions().get(5));
    }

    @Test
    void indexesTransactionsAndSettings() {
        Ddl.CreateIndex ix = (Ddl.CreateIndex) parse("create unique index concurrently if not exists i on only t"
                + " using btree (a, lower(b), c desc) where d is null");
        assertTrue(ix.unique() && ix.concurrently() && ix.ifNotExists());
        assertEquals(List.of("a", "(expression)", "c"), ix.columns());
        assertInstanceOf(Ddl.Begin.class, parse("start transaction isolation level serializable"));
        assertInstanceOf(Ddl.End.class, parse("end"));
        assertInstanceOf(Ddl.Other.class, parse("rollback to savepoint s"));
        assertEquals("lock_timeout", ((Ddl.Set) parse("set local lock_timeout to '1s'")).setting());
        Ddl.DropIndex drop = (Ddl.DropIndex) parse("drop index concurrently if exists a, s.b cascade");
        assertEquals(List.of("public.a", "s.b"), drop.indexes().stream().map(QName::key).toList());
        assertFalse(((Ddl.Truncate) parse("truncate a restart identity")).cascade());
    }

    @Test
    void oddInputGivesOtherNotAnException() {
        for (String sql : List.of("create", "alter table", "create table (", "alter table t add", "drop",
                "create index on", "alter table t alter column", "create table t (like u including all)")) {
            DdlParser.parse(SqlScript.parse(sql).statements().get(0));
        }
    }
}
