package dev.backendteam.queryoptimizer.rewrite;

/** One rule of the rewrite catalogue ({@code rules.yaml}): its id, what it sees, why it may pay, and its fix. */
public record RewriteRule(String id, String message, String why, String fix) {
}
