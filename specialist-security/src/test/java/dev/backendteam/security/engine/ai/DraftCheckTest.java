package dev.backendteam.security.engine.ai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.contract.Json;
import dev.backendteam.contract.access.AccessIntent;
import dev.backendteam.contract.access.Grantee;
import dev.backendteam.contract.access.Operation;
import dev.backendteam.contract.access.TableIntent;
import dev.backendteam.contract.llm.RepairLoop.Problem;
import dev.backendteam.security.engine.intent.IntentResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each rule of the drafted-access check: the draft that breaks it is refused on its object; the good draft passes. */
class DraftCheckTest {

    /** The good draft with one change (a plain text replacement), the rule it breaks and the object named. */
    static Stream<Arguments> rules() {
        return Stream.of(
                Arguments.of("\"comments\": {\"select\"",
                        "\"jobs\": {\"select\": [\"anon\"]}, \"comments\": {\"select\"", DraftCheck.UNKNOWN_TABLE, "jobs"),
                Arguments.of("\"comments\": {\"select\": [\"authenticated\"], \"insert\": [\"owner\"], \"update\":"
                        + " [\"owner\"], \"delete\": [\"owner\"]}}", "\"x\": {}}", DraftCheck.MISSING_TABLE,
                        "comments"),
                Arguments.of("\"delete\": [\"owner\"]},\n", "\"remove\": [\"owner\"]},\n",
                        DraftCheck.UNKNOWN_OPERATION, "posts/remove"),
                Arguments.of("\"delete\": [\"owner\"]},\n", "\"remove\": [\"owner\"]},\n",
                        DraftCheck.MISSING_OPERATION, "posts/delete"),
                Arguments.of("\"posts\": {\"select\": [\"authenticated\"]", "\"posts\": {\"select\": [\"everyone\"]",
                        DraftCheck.GRANTEE, "posts/select"),
                Arguments.of("\"posts\": {\"select\": [\"authenticated\"]", "\"posts\": {\"select\": [\"parent\"]",
                        DraftCheck.GRANTEE, "posts/select"),
                Arguments.of("\"posts\": \"author_id\"", "\"posts\": null", DraftCheck.GRANTEE, "posts/insert"),
                Arguments.of("\"comments\": \"author_id\"", "\"comments\": \"user_id\"", DraftCheck.UNKNOWN_COLUMN,
                        "comments.user_id"),
                Arguments.of("\"posts\": \"author_id\"", "\"posts\": \"title\"", DraftCheck.OWNER_NOT_UUID,
                        "posts.title"),
                Arguments.of("\"posts\": \"author_id\"", "\"posts\": \"reviewer\"", DraftCheck.OWNER_NOT_USER,
                        "posts.reviewer"),
                Arguments.of("\"insert\": [\"owner\"], \"update\": [\"owner\"], \"delete\": [\"owner\"]},\n",
                        "\"insert\": [\"owner\", \"anon\"], \"update\": [\"owner\"], \"delete\": [\"owner\"]},\n",
                        DraftCheck.ANON_WRITE, "posts/insert"),
                Arguments.of("\"insert\": [\"owner\"], \"update\": [\"owner\"], \"delete\": [\"owner\"]},\n",
                        "\"insert\": [\"owner\"], \"update\": [\"owner\"], \"delete\": [\"authenticated\"]},\n",
                        DraftCheck.UNSCOPED_WRITE, "posts/delete"));
    }

    @ParameterizedTest(name = "{2} on {3}")
    @MethodSource("rules")
    void eachRuleRefusesItsCaseAndTheGoodDraftPasses(String find, String replace, String code, String object) {
        String broken = Blog.GOOD.replace(find, replace);
        assertTrue(!broken.equals(Blog.GOOD), "the case changes the draft");
        List<Problem> problems = Blog.check().problems(Blog.draft(broken));
        assertTrue(problems.stream().anyMatch(p -> p.code().equals(code) && object.equals(p.object())),
                code + " on " + object + " in " + problems);
        assertEquals(List.of(), Blog.check().problems(Blog.draft(Blog.GOOD)), "the good draft fixes it");
    }

    @Test
    void aTableTheSpecDeclaresIsLeftToTheSpecAndOneThatIsNotTheJobsIsNoneOfTheDrafts() throws Exception {
        JsonNode spec = Json.events().readTree("{\"access\": {\"posts\": {\"select\": [\"owner\"]}}}");
        AccessIntent resolved = IntentResolver.resolve(spec, Blog.CATALOG).intent();
        assertEquals(Set.of("public.comments"), DraftCheck.undeclared(resolved, Blog.TABLES));
        DraftCheck declared = new DraftCheck(resolved, Blog.CATALOG, DraftCheck.undeclared(resolved, Blog.TABLES));
        List<Problem> problems = declared.problems(Blog.draft(Blog.GOOD));
        assertEquals(List.of(DraftCheck.DECLARED_TABLE), problems.stream().map(Problem::code).toList());
        assertEquals("posts", problems.get(0).object());
        // posts existed before the job (not among its tables): undeclared, yet not the draft's to decide
        DraftCheck commentsOnly = new DraftCheck(Blog.resolved(), Blog.CATALOG, Set.of("public.comments"));
        assertEquals(List.of(DraftCheck.UNKNOWN_TABLE), commentsOnly.problems(Blog.draft(Blog.GOOD)).stream()
                .map(Problem::code).toList());
    }

    @Test
    void anOwnerColumnLeftUnsaidIsTheOneTheSchemasReferenceSuggests() {
        AccessDraft d = Blog.draft(Blog.GOOD.replace(",\n \"ownerColumns\": {\"posts\": \"author_id\", \"comments\":"
                + " \"author_id\"}", ""));
        assertEquals("author_id", d.ownerColumns().get("comments"));
        assertEquals(List.of(), Blog.check().problems(d));
    }

    @Test
    void theAcceptedDraftIsTheIntentTheMatrixTakes() {
        AccessIntent intent = Blog.check().intent(Blog.draft(Blog.GOOD), DraftedIntent.CONFIRMED);
        TableIntent comments = intent.table("public.comments").orElseThrow();
        assertEquals(DraftedIntent.CONFIRMED, comments.source());
        assertEquals("author_id", comments.ownerColumn());
        assertEquals(List.of(Grantee.AUTHENTICATED), comments.rule(Operation.SELECT));
        assertEquals(List.of(Grantee.OWNER), comments.rule(Operation.UPDATE));
        assertEquals(List.of("public.posts"), comments.parents().stream().map(p -> p.table()).toList(),
                "the schema's facts stay the schema's");
    }

    @Test
    void anAnswerThatIsNoDraftIsUnreadableNotACrash() {
        for (String answer : List.of("sure, here it is", "[]", "{\"access\": {\"posts\": {\"select\": \"anon\"}}}",
                "{\"access\": {}, \"sql\": \"drop table jobs\"}")) {
            assertThrows(AccessDraft.Unreadable.class, () -> AccessDraft.parse(answer), answer);
        }
        // a fenced answer (a provider without JSON mode) reads the same as a bare one
        assertEquals(Blog.draft(Blog.GOOD), Blog.draft("```json\n" + Blog.GOOD + "\n```"));
    }
}
