package dev.backendteam.security.engine.ai;

import dev.backendteam.contract.llm.RepairLoop.Problem;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A repair fixes what was reported and nothing else: judged on the two drafts' matrix expectations, cell by cell. */
class RepairGuardTest {
    private static final String UPDATE = "\"update\": [\"owner\"], \"delete\": [\"owner\"]}}";
    private final RepairGuard guard = new RepairGuard(Blog.check(), Blog.TABLES);
    private final List<Problem> onComments = List.of(new Problem(DraftCheck.UNKNOWN_COLUMN, "comments.user_id", "x"));

    @Test
    void grantingACellTheDraftBeforeDeniedIsRefusedNamingTheCells() {
        AccessDraft before = Blog.draft(Blog.GOOD);
        AccessDraft wider = Blog.draft(Blog.GOOD.replace(UPDATE, "\"update\": [\"owner\", \"parent\"], \"delete\":"
                + " [\"owner\"]}}"));
        assertEquals(List.of("owner/update on comments", "other-user/update on comments"),
                guard.widened(before, wider));
        Optional<String> refused = guard.refusal(before, onComments, wider);
        assertTrue(refused.orElseThrow().startsWith("refused: the repair widens owner/update on comments,"
                + " other-user/update on comments"), refused.get());
        // the other way round is narrowing, and comments is what the problem named: a fix
        assertEquals(List.of(), guard.widened(wider, before));
        assertEquals(Optional.empty(), guard.refusal(wider, onComments, before));
    }

    @Test
    void anonReadingIsAWideningToo() {
        AccessDraft before = Blog.draft(Blog.GOOD);
        AccessDraft wider = Blog.draft(Blog.GOOD.replace("\"posts\": {\"select\": [\"authenticated\"]",
                "\"posts\": {\"select\": [\"anon\", \"authenticated\"]"));
        assertEquals(List.of("anon/select on posts"), guard.widened(before, wider));
    }

    @Test
    void changingATableNoProblemNamedIsRefusedEvenWhenItNarrows() {
        AccessDraft before = Blog.draft(Blog.GOOD);
        AccessDraft narrower = Blog.draft(Blog.GOOD.replace("\"delete\": [\"owner\"]},\n", "\"delete\": []},\n"));
        assertEquals(List.of(), guard.widened(before, narrower));
        assertTrue(guard.refusal(before, onComments, narrower).orElseThrow().startsWith("refused: the repair changes"
                + " posts, which no reported problem concerned"));
        assertEquals(Optional.empty(), guard.refusal(before, List.of(new Problem(DraftCheck.GRANTEE, "posts/delete",
                "x")), narrower), "named by a problem, the same change is the fix");
    }

    @Test
    void theSameDraftAgainIsNoRefusal() {
        AccessDraft d = Blog.draft(Blog.GOOD);
        assertEquals(Optional.empty(), guard.refusal(d, onComments, d), "the loop breaker's case, not the guard's");
    }
}
