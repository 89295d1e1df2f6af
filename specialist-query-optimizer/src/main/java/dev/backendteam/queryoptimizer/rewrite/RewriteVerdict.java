package dev.backendteam.queryoptimizer.rewrite;

/**
 * What {@link RewriteProof} found: whether the rewrite is accepted, and why or which check failed.
 *
 * @param costBefore the original's total cost in its generic plan (null: not planned)
 * @param costAfter  the rewrite's, likewise
 */
public record RewriteVerdict(boolean accepted, String reason, Double costBefore, Double costAfter) {

    static RewriteVerdict rejected(String reason, Double costBefore, Double costAfter) {
        return new RewriteVerdict(false, reason, costBefore, costAfter);
    }
}
