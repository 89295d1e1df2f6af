package dev.backendteam.dbarchitect.engine.output;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErDiagramTest {
    private static final String MMD = ErDiagram.render(Designs.briefExample());
    private static final List<String> LINES = MMD.lines().map(String::strip).toList();

    @Test
    void entitiesWithKeysAndNotes() {
        assertEquals("erDiagram", LINES.get(0));
        assertTrue(LINES.contains("task {"));
        assertTrue(LINES.contains("uuid id PK"));
        assertTrue(LINES.contains("uuid project_id FK \"not null\""));
        assertTrue(LINES.contains("text status \"todo | doing | done; not null\""));
        assertTrue(LINES.contains("uuid task_id PK, FK"));
        assertTrue(LINES.contains("auth_users {"), "auth.users is drawn once, as auth_users");
        assertEquals(1, LINES.stream().filter(l -> l.equals("auth_users {")).count());
    }

    @Test
    void relationshipsOneToManyIncludingBothSidesOfAJoin() {
        assertTrue(LINES.contains("project ||--o{ task : \"project_id\""));
        assertTrue(LINES.contains("auth_users ||--o{ task : \"user_id (owner)\""));
        assertTrue(LINES.contains("organization ||--o{ project : \"organization_id (tenant)\""));
        assertTrue(LINES.contains("task ||--o{ task_tag : \"task_id\""));
        assertTrue(LINES.contains("tag ||--o{ task_tag : \"tag_id\""));
    }

    @Test
    void typesAreSingleMermaidWordsAndOptionalParentsAreDrawnSo() {
        String mmd = ErDiagram.render(Designs.of("""
                entities:
                  - name: category
                    belongsTo: category
                    fields: { price: "numeric(12,2)", score: double precision, tags: "text[]" }
                """));
        List<String> lines = mmd.lines().map(String::strip).toList();
        assertTrue(lines.contains("numeric price \"numeric(12,2)\""), mmd);
        assertTrue(lines.contains("double_precision score \"double precision\""));
        assertTrue(lines.contains("text_array tags \"text[]\""));
        assertTrue(lines.contains("category |o--o{ category : \"parent_id\""));
        assertFalse(mmd.contains("(12,2) "), "no parenthesised type outside a comment");
    }
}
