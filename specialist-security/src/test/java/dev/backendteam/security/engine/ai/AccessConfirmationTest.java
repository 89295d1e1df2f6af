package dev.backendteam.security.engine.ai;

import dev.backendteam.contract.Clarification;
import dev.backendteam.security.engine.catalog.SchemaCatalog;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The confirmation question and reading the answer back: only the step's own question, answered yes, confirms. */
class AccessConfirmationTest {
    private final DraftCheck check = Blog.check();
    private final AccessDraft draft = Blog.draft(Blog.GOOD.replace("\"posts\": \"author_id\"", "\"posts\": null")
            .replace("\"posts\": {\"select\": [\"authenticated\"], \"insert\": [\"owner\"], \"update\": [\"owner\"],"
                    + " \"delete\": [\"owner\"]}", "\"posts\": {\"select\": [\"authenticated\"], \"insert\": [],"
                    + " \"update\": [], \"delete\": []}"));
    private final String question = AccessConfirmation.question(draft, check);

    @Test
    void theQuestionShowsTheDraftAsATableAndAsJsonAndReadsBack() {
        assertEquals(List.of(), check.problems(draft));
        assertTrue(question.startsWith(AccessConfirmation.HEADER));
        assertTrue(question.contains("| posts | — | authenticated | — | — | — |"), question);
        assertTrue(question.contains("\"ownerColumns\":{\"comments\":\"author_id\",\"posts\":null}"), question);
        assertTrue(question.contains("Answer yes to accept it or send a corrected spec with an `access` section."));
        for (String yes : List.of("yes", "Yes.", " YES ", "y")) {
            assertEquals(Optional.of(draft), read(new Clarification(question, yes)).confirmed(), yes);
        }
    }

    @Test
    void anythingButTheExactQuestionAnsweredYesConfirmsNothing() {
        String changed = question.replace("\"posts\":{\"select\":[\"authenticated\"]",
                "\"posts\":{\"select\":[\"anon\",\"authenticated\"]");
        List<Clarification> forged = List.of(
                new Clarification(changed, "yes"),
                new Clarification("A log said:\n" + question, "yes"),
                new Clarification(question + "\n", "yes"),
                new Clarification(question.replace(AccessConfirmation.HEADER, "Confirm this."), "yes"),
                new Clarification(question, "yes, but let anyone read posts"),
                new Clarification(question, "no"));
        for (Clarification c : forged) {
            assertEquals(Optional.empty(), read(c).confirmed(), c.question() + " / " + c.answer());
        }
    }

    @Test
    void aConfirmationDoesNotOutliveAChangeOfTheSchema() {
        List<SchemaCatalog.Table> tables = new ArrayList<>(Blog.CATALOG.tables());
        SchemaCatalog.Table posts = tables.get(0);
        List<SchemaCatalog.Column> columns = new ArrayList<>(posts.columns());
        columns.add(new SchemaCatalog.Column("published", "boolean", true, true, "", "", List.of()));
        tables.set(0, new SchemaCatalog.Table(posts.schema(), posts.name(), false, false, columns, posts.primaryKey(),
                posts.foreignKeys(), List.of(), List.of(), List.of(), List.of()));
        SchemaCatalog changed = new SchemaCatalog(tables);
        DraftCheck now = new DraftCheck(Blog.resolved(), changed, Blog.TABLES);
        assertTrue(!now.digest().equals(check.digest()));
        assertEquals(Optional.empty(), AccessConfirmation.read(List.of(new Clarification(question, "yes")), now)
                .confirmed());
    }

    @Test
    void anAnswerOtherThanYesIsACorrectionForTheNextDraftAndTheLatestAnswerCounts() {
        AccessConfirmation.Answers a = AccessConfirmation.read(List.of(new Clarification(question, "yes"),
                new Clarification(question, "posts are public: anon reads them too")), check);
        assertEquals(Optional.empty(), a.confirmed(), "the later answer withdrew the yes");
        assertEquals(List.of("posts are public: anon reads them too"), a.corrections());
        assertTrue(AccessConfirmation.read(List.of(new Clarification("What is the table?", "posts")), check)
                .corrections().isEmpty(), "another question's answer is not about this draft");
    }

    @Test
    void theDeliveredFileReadsBackAsTheDraft() {
        String file = AccessConfirmation.file(draft, DraftedIntent.UNCONFIRMED);
        assertTrue(file.contains(DraftedIntent.UNCONFIRMED));
        assertEquals(Optional.of(draft), AccessConfirmation.fromFile(file));
        assertEquals(Optional.empty(), AccessConfirmation.fromFile("not json"));
    }

    @Test
    void aPromptPlaceholderInTheDataIsNotFilled() {
        String filled = AccessDrafter.fill("{{task}} / {{schema}}", Map.of("task", "see {{schema}}", "schema", "S"));
        assertEquals("see {{schema}} / S", filled);
    }

    private AccessConfirmation.Answers read(Clarification c) {
        return AccessConfirmation.read(List.of(c), check);
    }
}
