package dev.backendteam.queryoptimizer.rewrite;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Proposes rewrites of one query's SQL text, one per rule and place that matched, each rewriting that place only.
 * The catalogue ({@code rules.yaml}) says what each rule is and why; its {@link RewritePattern} finds it. A text the
 * lexer cannot read, or whose brackets do not balance, gets no proposal; so does any place that does not fit a
 * pattern exactly. A proposal is not a result: {@link RewriteProof} decides.
 */
public final class QueryRewriter {
    private final RewriteCatalogue catalogue;
    private final List<RewritePattern> patterns;

    public QueryRewriter() {
        this(RewriteCatalogue.load());
    }

    public QueryRewriter(RewriteCatalogue catalogue) {
        this.catalogue = catalogue;
        this.patterns = List.of(new InSubqueryToExists(false), new InSubqueryToExists(true), new CountToExists());
        for (RewritePattern p : patterns) {
            catalogue.rule(p.ruleId());
        }
    }

    public List<Rewrite> propose(String sql) {
        if (sql == null || sql.isBlank()) {
            return List.of();
        }
        Optional<SqlTokens> tokens = SqlTokens.of(sql);
        if (tokens.isEmpty()) {
            return List.of();
        }
        List<Rewrite> out = new ArrayList<>();
        for (RewritePattern p : patterns) {
            RewriteRule rule = catalogue.rule(p.ruleId());
            for (String rewritten : p.rewrite(tokens.get())) {
                out.add(new Rewrite(rule.id(), sql, rewritten, rule.why()));
            }
        }
        return out;
    }
}
