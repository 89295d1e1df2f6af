package dev.backendteam.queryoptimizer.rewrite;

import java.util.List;

/**
 * The code half of one rule of the catalogue: finds its pattern in a query's tokens and writes the rewritten text,
 * one text per place it matched. Where the text does not fit the pattern exactly, it proposes nothing.
 */
interface RewritePattern {
    String ruleId();

    List<String> rewrite(SqlTokens sql);
}
