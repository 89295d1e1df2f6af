package dev.backendteam.queryoptimizer.engine;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.backendteam.contract.Finding;
import dev.backendteam.queryoptimizer.QueryOptimizerSandbox;
import dev.backendteam.queryoptimizer.plan.Explainer;
import dev.backendteam.queryoptimizer.plan.PlanException;
import dev.backendteam.queryoptimizer.plan.PlanNode;
import dev.backendteam.queryoptimizer.plan.WorkloadQuery;
import dev.backendteam.sandbox.PostgresServers;
import dev.backendteam.sandbox.SandboxDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The plan rules of plan-rules.yaml, each with a positive case, a near miss and its fix proven to clear it
 * (src/test/resources/plan-rules/cases.yaml), on real plans of PostgreSQL 17; every rule of the catalogue has a case.
 */
@ExtendWith(PostgresServers.class)
class PlanRulesTest {

    record Case(String rule, String positive, String negative, String fixIndex, String fixQuery) {
    }

    record Cases(String schema, List<Case> cases) {
    }

    private static Cases cases() throws IOException {
        return new ObjectMapper(new YAMLFactory()).configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
                .readValue(QueryOptimizerSandbox.resource("plan-rules/cases.yaml"), Cases.class);
    }

    /** The rules a query's plan trips, as the engine reads them (a query that cannot be planned: query-failed). */
    private static Set<String> rules(SandboxDatabase db, String sql) {
        WorkloadQuery q = WorkloadQuery.given("q", sql, null);
        try {
            PlanNode plan = new Explainer(db).generic(q, List.of());
            AdviceReport.Tables t = AdviceReport.tables(db);
            return PlanFindings.of("q", q.sql(), plan, false, t.rows(), t.columns()).stream().map(Finding::ruleId)
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (PlanException e) {
            return Set.of("query-optimizer.query-failed");
        }
    }

    @Test
    void everyRuleHasACase() throws IOException {
        assertEquals(new TreeSet<>(PlanRules.all().keySet()), cases().cases().stream().map(Case::rule)
                .collect(Collectors.toCollection(TreeSet::new)));
    }

    @Test
    void eachRuleTripsOnItsCaseNotOnTheNearMissAndItsFixClearsIt(PostgresServers.Servers servers) throws IOException {
        Cases all = cases();
        List<String> wrong = new ArrayList<>();
        for (Case c : all.cases()) {
            try (SandboxDatabase db = QueryOptimizerSandbox.on(servers.pg17()).create("qo-plan-rules")) {
                assertNull(db.apply(all.schema()).error());
                if (!rules(db, c.positive()).contains(c.rule())) {
                    wrong.add(c.rule() + " does not trip on: " + c.positive() + " " + rules(db, c.positive()));
                }
                if (rules(db, c.negative()).contains(c.rule())) {
                    wrong.add(c.rule() + " trips on the near miss: " + c.negative());
                }
                if (c.fixIndex() != null) {
                    var fixed = db.apply(c.fixIndex());
                    assertNull(fixed.error(), () -> c.rule() + ": " + fixed.error());
                    db.apply("analyze events");
                    if (rules(db, c.positive()).contains(c.rule())) {
                        wrong.add(c.rule() + " still trips after " + c.fixIndex());
                    }
                }
                if (c.fixQuery() != null && rules(db, c.fixQuery()).contains(c.rule())) {
                    wrong.add(c.rule() + " trips on its fix: " + c.fixQuery());
                }
            }
        }
        assertEquals(List.of(), wrong);
    }
}
