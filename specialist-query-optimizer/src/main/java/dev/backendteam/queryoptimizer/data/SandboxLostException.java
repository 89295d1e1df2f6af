package dev.backendteam.queryoptimizer.data;

import dev.backendteam.sandbox.ScriptError;

/** The sandbox database went away (connection lost, terminated) while data was generated: nothing more can be done. */
public final class SandboxLostException extends RuntimeException {

    SandboxLostException(String doing, ScriptError error) {
        super(doing + ": " + error.describe());
    }

    /** Errors after which no further statement can run on the database. */
    static boolean isLost(ScriptError e) {
        String state = e.sqlState() == null ? "" : e.sqlState();
        return state.startsWith("08") || state.startsWith("57P")
               || e.limit() == dev.backendteam.sandbox.Limit.WATCHDOG_TERMINATE;
    }

    static boolean isBudgetSpent(ScriptError e) {
        return e.limit() == dev.backendteam.sandbox.Limit.BUDGET_EXHAUSTED;
    }
}
