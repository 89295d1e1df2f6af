package dev.backendteam.queryoptimizer.plan;

import dev.backendteam.queryoptimizer.sql.SqlText;
import dev.backendteam.sandbox.JwtClaims;

/**
 * One query of the workload the index set is chosen for.
 *
 * @param frequency calls per minute; null when nobody said (the query then weighs as much as the typical one)
 * @param role      the role it runs as (null: the table owner, as a backend service would); the columns security's
 *                  policies filter on are exercised as {@code authenticated}, so the planner sees the policies
 * @param origin    where it came from: {@code given}, {@code spec}, {@code pg_stat_statements}, {@code policy}
 */
public record WorkloadQuery(String name, String sql, Double frequency, String role, JwtClaims claims, String origin) {

    public WorkloadQuery {
        sql = SqlText.withoutTrailingSemicolon(sql);
    }

    public static WorkloadQuery given(String name, String sql, Double frequency) {
        return new WorkloadQuery(name, sql, frequency, null, null, "given");
    }

    public int parameters() {
        return SqlText.maxParameter(sql);
    }
}
