package dev.backendteam.security.engine.ai;

import dev.backendteam.contract.access.AccessIntent;

/**
 * The engine call behind the model's {@code run_matrix} tool: generates the grants and policies of an intent in a
 * sandbox database of its own and runs the RLS matrix there.
 */
@FunctionalInterface
public interface MatrixTrial {
    /** The verdict table, or why it could not run. */
    String run(AccessIntent intent);
}
