package dev.backendteam.queryoptimizer.rewrite;

/**
 * A proposed rewrite of one query's SQL text: whole texts before and after, so it can be run and proven as is.
 *
 * @param ruleId the rule of {@code rules.yaml} that proposed it
 * @param why    why the rewrite may pay, and when it would not be the same query
 */
public record Rewrite(String ruleId, String original, String rewritten, String why) {
}
