package dev.backendteam.orchestrator.engine;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.backendteam.contract.Clarification;
import dev.backendteam.contract.FileInput;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.QueryInput;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouterTest {
    private final Router router = new Router(FlowCatalog.fromClasspath());

    private String flow(String task, JobInputs inputs) {
        Router.Routing r = router.route(task, inputs, null);
        return assertInstanceOf(Router.Routed.class, r, () -> "unclear: " + r).flow();
    }

    @Test
    void keywordsChooseTheFlow() {
        assertEquals("performance", flow("This query is slow, 3 seconds p95", JobInputs.empty()));
        assertEquals("bug", flow("We get an exception: relation does not exist", JobInputs.empty()));
        assertEquals("deployment", flow("Deploy this to Railway", JobInputs.empty()));
        assertEquals("security-review", flow("Review our RLS policies", JobInputs.empty()));
        assertEquals("new-feature", flow("Add comments to posts with a new table", JobInputs.empty()));
    }

    @Test
    void theRealtimeApiAndEdgeFunctionFlowsAreRoutedByTheirWords() {
        assertEquals("realtime", flow("Show chat messages to everyone in the room instantly, no refresh",
                JobInputs.empty()));
        assertEquals("realtime", flow("presence and typing indicators over a websocket", JobInputs.empty()));
        assertEquals("realtime", flow("Les scores doivent s'afficher en temps réel", JobInputs.empty()));
        assertEquals("api", flow("Generate the OpenAPI document and a typed client for the frontend",
                JobInputs.empty()));
        assertEquals("api", flow("we need an endpoint that returns a customer with its orders as json",
                JobInputs.empty()));
        assertEquals("api", flow("an rpc the app can call to reserve a seat, with pagination of the results",
                JobInputs.empty()));
        assertEquals("edge-functions", flow("Handle the Stripe webhook when a checkout completes", JobInputs.empty()));
        assertEquals("edge-functions", flow("a cron job every night that sends a digest", JobInputs.empty()));
        assertEquals("edge-functions", flow("serverless function that calls a third-party API", JobInputs.empty()));
    }

    /** deploy/examples/realtime.yaml, api.yaml, edge-functions.yaml: their words outweigh the inputs they bring. */
    @Test
    void theRealtimeApiAndEdgeFunctionsExamplesAreRoutedByTheirWordsOverTheirInputs() {
        JobInputs withSpec = new JobInputs(JsonNodeFactory.instance.objectNode().set("entities",
                JsonNodeFactory.instance.arrayNode().add(JsonNodeFactory.instance.objectNode().put("name", "project"))),
                null, null, null, null, null, null, null);
        assertEquals("realtime", flow("Live cursor positions and presence per project, in real time: the members of a"
                + " project see who is online and where everyone's cursor is, and changes to tasks show up without"
                + " a reload.", withSpec));
        assertEquals("new-feature", flow("Projects with tasks, and who works on them", withSpec));
        assertEquals("api", flow("Give our notes app a typed API with endpoints for: a notebook's notes newest first"
                + " with keyset pagination, search in notes by text, the number of notes in each notebook, and saving a"
                + " note with its tags in one call. Publish the OpenAPI document.", withSpec), "deploy/examples/api.yaml");
        JobInputs withFiles = new JobInputs(null, null, null, null, null, List.of(new dev.backendteam.contract.FileInput(
                "supabase/database.types.ts", "export type Database = {}")), null, null);
        assertEquals("edge-functions", flow("Add a Stripe webhook that records each payment event in payment, and every"
                + " day at 7am send the finance team a digest of the payments via Resend.", withFiles),
                "deploy/examples/edge-functions.yaml: its words outweigh the files (alone, deployment)");
    }

    /**
     * Words of the new flows in tasks of the others: "function", "view", "live", "api" and "webhook" alone are no
     * evidence (the first-draft keywords had them bare, and each of these went to a new flow or to a question).
     */
    @Test
    void theNewFlowsWordsInOtherFlowsTasksDoNotPullThemAway() {
        assertEquals("security-review", flow("the security definer function leaks rows", JobInputs.empty()));
        assertEquals("deployment", flow("deploy the API to Railway", JobInputs.empty()));
        assertEquals("performance", flow("the live site is slow", JobInputs.empty()));
        assertEquals("performance", flow("the order_totals view takes 5 seconds to query", JobInputs.empty()));
        assertEquals("bug", flow("ERROR: function calculate_total(integer) does not exist", JobInputs.empty()));
        assertEquals("bug", flow("the webhook handler throws an exception on every call", JobInputs.empty()));
        assertEquals("new-feature", flow("add a table for live events with a venue", JobInputs.empty()));
        assertEquals("security-review", flow("users read other people's rows through the profiles view, check RLS",
                JobInputs.empty()));
        // a bare "api" or "channel" scores for no flow: words only a person can place are asked about
        Router.Routing channel = router.route("post a message to the channel", JobInputs.empty(), null);
        assertInstanceOf(Router.Unclear.class, channel);
        assertEquals(List.of(), router.score("our api", JobInputs.empty()).leaders());
    }

    @Test
    void inputsCountAsSignals() {
        JobInputs logs = new JobInputs(null, null, null, null, "ERROR: 42P01", null, null, null);
        assertEquals("bug", flow("look at this", logs));
        JobInputs spec = new JobInputs(JsonNodeFactory.instance.objectNode().putArray("entities").addObject()
                .put("name", "x"), null, null, null, null, null, null, null);
        // the spec is the entities array's parent object
        JobInputs withSpec = new JobInputs(JsonNodeFactory.instance.objectNode().set("entities",
                spec.spec()), null, null, null, null, null, null, null);
        assertEquals("new-feature", flow("comments", withSpec));
        JobInputs queries = new JobInputs(null, null, List.of(new QueryInput("q", "select 1")), null, null, null,
                null, null);
        assertEquals("performance", flow("have a look", queries));
        JobInputs files = new JobInputs(null, null, null, null, null, List.of(new FileInput("pom.xml", "<x/>")),
                null, null);
        assertEquals("deployment", flow("here you go", files));
    }

    @Test
    void aPastedPlanOrWriteRatesPointAtPerformance() {
        JobInputs plan = new JobInputs(null, null, null, null, null, null, null, null, null, null,
                JsonNodeFactory.instance.textNode("Seq Scan on comments  (cost=0.00..1834.00 rows=50 width=8)"));
        assertEquals("performance", flow("look at this", plan));
        JobInputs writes = new JobInputs(null, null, null, null, null, null, null, null, null,
                java.util.Map.of("comments", new dev.backendteam.contract.WriteRate(5.0, 1.0, 0.0)), null);
        assertEquals("performance", flow("what do you think", writes));
    }

    @Test
    void keywordsMatchWholeWordsOrDeclaredPrefixes() {
        // "ci" must not match inside "special"; "index*" matches "indexes"
        Router.Routing r = router.route("special", JobInputs.empty(), null);
        assertInstanceOf(Router.Unclear.class, r);
        assertEquals("performance", flow("which indexes are missing", JobInputs.empty()));
    }

    @Test
    void noSignalOrATieIsUnclearAndAsks() {
        Router.Unclear none = assertInstanceOf(Router.Unclear.class, router.route("hello", JobInputs.empty(), null));
        assertTrue(none.question().contains("new-feature"));
        Router.Unclear tie = assertInstanceOf(Router.Unclear.class,
                router.route("deploy this, it fails", JobInputs.empty(), null));
        assertTrue(tie.reason().contains("matched equally"), tie.reason());
    }

    @Test
    void aForcedFlowOrAnAnswerNamingAFlowWins() {
        assertEquals("deployment", ((Router.Routed) router.route("slow query", JobInputs.empty(), "deployment"))
                .flow());
        JobInputs answered = new JobInputs(null, null, null, null, null, null, null,
                List.of(new Clarification("which?", " Bug ")));
        assertEquals("bug", flow("hello", answered));
        assertThrows(IllegalArgumentException.class, () -> router.route("x", JobInputs.empty(), "nope"));
    }

    /** A matcher that always answers the same, and counts how often it was asked. */
    private static final class FixedMatcher implements TaskMatcher {
        final AtomicInteger calls = new AtomicInteger();
        final Optional<Match> answer;

        FixedMatcher(String flow, double similarity, double margin) {
            answer = Optional.of(new Match(flow, similarity, margin, "an example of " + flow));
        }

        FixedMatcher(Optional<Match> answer) {
            this.answer = answer;
        }

        @Override
        public Optional<Match> match(String text) {
            calls.incrementAndGet();
            return answer;
        }

        @Override
        public String describe() {
            return "fixed";
        }
    }

    private static Router.Routing route(TaskMatcher matcher, String task, JobInputs inputs) {
        return new Router(FlowCatalog.fromClasspath(), matcher).route(task, inputs, null);
    }

    @Test
    void aStrongMatchRoutesWhatTheKeywordsLeaveUnclearAndSaysWhichExample() {
        Router.Routed routed = assertInstanceOf(Router.Routed.class,
                route(new FixedMatcher("bug", 0.71, 0.12), "the totals are off by a cent", JobInputs.empty()));
        assertEquals("bug", routed.flow());
        assertTrue(routed.reason().contains("nearest example 'an example of bug' (similarity 0.71"), routed.reason());
        assertTrue(routed.reason().contains("no flow matched"), "the keywords' view stays in the reason");
        // the same task without a matcher: no keyword, so it asks
        assertInstanceOf(Router.Unclear.class, router.route("the totals are off by a cent", JobInputs.empty(), null));
    }

    @Test
    void aTieIsSettledByAStrongMatch() {
        assertEquals("deployment", assertInstanceOf(Router.Routed.class,
                route(new FixedMatcher("deployment", 0.5, 0.1), "deploy this, it fails", JobInputs.empty())).flow());
    }

    @Test
    void aWeakMatchLeavesAnUnclearTaskUnclear() {
        TaskMatcher.Thresholds t = TaskMatcher.Thresholds.DEFAULTS;
        for (FixedMatcher weak : List.of(new FixedMatcher("bug", t.minSimilarity() - 0.01, 0.3),
                new FixedMatcher("bug", 0.9, t.minMargin() - 0.01))) {
            Router.Unclear unclear = assertInstanceOf(Router.Unclear.class,
                    route(weak, "the totals are off by a cent", JobInputs.empty()));
            assertTrue(unclear.reason().contains("too weak"), unclear.reason());
            assertTrue(unclear.question().contains("new-feature"), "the job asks its question");
        }
        // exactly at both thresholds is strong enough
        assertInstanceOf(Router.Routed.class, route(new FixedMatcher("bug", t.minSimilarity(), t.minMargin()),
                "the totals are off by a cent", JobInputs.empty()));
    }

    @Test
    void aStrongMatchOverridesASingleWeakKeyword() {
        // 'table*' gives new-feature one point; the sentence is about a failure
        String task = "users get logged out, the sessions table keeps getting emptied";
        assertEquals("new-feature", flow(task, JobInputs.empty()));
        assertEquals("bug", assertInstanceOf(Router.Routed.class,
                route(new FixedMatcher("bug", 0.45, 0.1), task, JobInputs.empty())).flow());
    }

    @Test
    void aWeakMatchLetsTheKeywordsRouteOnlyWhereItAgrees() {
        String task = "Review our RLS policies";
        assertEquals("security-review", assertInstanceOf(Router.Routed.class,
                route(new FixedMatcher("security-review", 0.2, 0.01), task, JobInputs.empty())).flow());
        Router.Unclear disagrees = assertInstanceOf(Router.Unclear.class,
                route(new FixedMatcher("bug", 0.2, 0.01), task, JobInputs.empty()));
        assertTrue(disagrees.reason().contains("matched 'rls'"), disagrees.reason());
    }

    @Test
    void inputsKeepTheirRoutingAndTheMatcherIsNotAsked() {
        JobInputs logs = new JobInputs(null, null, null, null, "ERROR: 42P01", null, null, null);
        FixedMatcher matcher = new FixedMatcher("deployment", 0.9, 0.5);
        assertEquals("bug", assertInstanceOf(Router.Routed.class, route(matcher, "look at this", logs)).flow());
        assertEquals(0, matcher.calls.get());
    }

    @Test
    void aForcedFlowOrAnAnswerNamingAFlowIsNotMatched() {
        FixedMatcher matcher = new FixedMatcher("bug", 0.9, 0.5);
        Router withMatcher = new Router(FlowCatalog.fromClasspath(), matcher);
        assertEquals("deployment", ((Router.Routed) withMatcher.route("hello", JobInputs.empty(), "deployment"))
                .flow());
        JobInputs answered = new JobInputs(null, null, null, null, null, null, null,
                List.of(new Clarification("which?", "performance")));
        assertEquals("performance", ((Router.Routed) withMatcher.route("hello", answered, null)).flow());
        assertEquals(0, matcher.calls.get());
    }

    @Test
    void anUnavailableMatcherOrNoMatchLeavesTheKeywordsAsTheyWere() {
        TaskMatcher broken = new TaskMatcher() {
            @Override
            public Optional<Match> match(String text) {
                throw new Unavailable("the embedding model did not load (test)", null);
            }

            @Override
            public String describe() {
                return "broken";
            }
        };
        Router.Unclear unclear = assertInstanceOf(Router.Unclear.class, route(broken, "hello", JobInputs.empty()));
        assertTrue(unclear.reason().contains("did not load (test)"), unclear.reason());
        assertEquals("deployment", assertInstanceOf(Router.Routed.class,
                route(broken, "Deploy this to Railway", JobInputs.empty())).flow());
        assertInstanceOf(Router.Unclear.class, route(new FixedMatcher(Optional.empty()), "hello", JobInputs.empty()));
    }

    @Test
    void theMatcherSeesTheTaskAndTheAnswers() {
        StringBuilder seen = new StringBuilder();
        TaskMatcher recording = new TaskMatcher() {
            @Override
            public Optional<Match> match(String text) {
                seen.append(text);
                return Optional.empty();
            }

            @Override
            public String describe() {
                return "recording";
            }
        };
        JobInputs answered = new JobInputs(null, null, null, null, null, null, null,
                List.of(new Clarification("which?", "the totals are wrong")));
        route(recording, "hello", answered);
        assertEquals("hello the totals are wrong", seen.toString());
        assertFalse(seen.toString().endsWith(" "));
    }
}
