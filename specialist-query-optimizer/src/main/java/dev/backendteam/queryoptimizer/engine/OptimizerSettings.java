package dev.backendteam.queryoptimizer.engine;

import dev.backendteam.queryoptimizer.advisor.IndexAdvisor;

/**
 * The query-optimizer's settings ({@code backend-team.optimizer.*} in application.properties, environment
 * {@code BACKEND_TEAM_OPTIMIZER_*}).
 *
 * @param rowBudget  rows the generated data may have across all tables; past it every table is scaled by one factor
 * @param maxIndexes indexes one step may recommend at most
 * @param threshold  share of planned cost a query must save for an index that serves it to stay (0.2 = 20 %)
 * @param tolerance  how much of the claimed saving the validation round may lose (fresh data differs a little)
 */
public record OptimizerSettings(long rowBudget, int maxIndexes, double threshold, double tolerance) {

    public static OptimizerSettings defaults() {
        return new OptimizerSettings(250_000, 10, 0.2, 0.5);
    }

    IndexAdvisor.Settings advisor() {
        IndexAdvisor.Settings d = IndexAdvisor.Settings.defaults();
        return new IndexAdvisor.Settings(maxIndexes, threshold, d.runs(), d.maxCandidates(), d.exhaustiveLimit(),
                d.exhaustivePlanBudget());
    }
}
