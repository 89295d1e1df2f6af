package dev.backendteam.sandbox;

/** Which limit cut a statement off, when one did. */
public enum Limit {
    /** {@code statement_timeout} (role default and connection option): SQLSTATE 57014. */
    STATEMENT_TIMEOUT,
    /** {@code lock_timeout}: SQLSTATE 55P03. */
    LOCK_TIMEOUT,
    /** {@code idle_in_transaction_session_timeout}: SQLSTATE 25P03, the session is gone. */
    IDLE_IN_TRANSACTION_TIMEOUT,
    /** {@code temp_file_limit}: SQLSTATE 53400. */
    TEMP_FILE_LIMIT,
    /** The client-side watchdog cancelled the statement at the step's deadline: SQLSTATE 57014. */
    WATCHDOG_CANCEL,
    /** Cancelling was not enough: the watchdog terminated the backend (or dropped the socket). */
    WATCHDOG_TERMINATE,
    /** The step's budget was already spent: the statement was not sent. */
    BUDGET_EXHAUSTED,
    /**
     * The statement's output exceeded what the sandbox reads (rows, one message, or all of it: see
     * {@link SandboxSettings#maxResultBytes()}): SQLSTATE 54000, client-side; the session was closed and the next
     * call opens a new one.
     */
    OUTPUT_LIMIT
}
