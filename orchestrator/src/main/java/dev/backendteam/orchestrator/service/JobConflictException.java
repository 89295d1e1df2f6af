package dev.backendteam.orchestrator.service;

/** The request clashes with the job's state or with an earlier request (409). */
public class JobConflictException extends RuntimeException {
    private final String type;

    public JobConflictException(String type, String detail) {
        super(detail);
        this.type = type;
    }

    /** A short slug naming the kind of conflict: idempotency-key-reused, nothing-asked, already-finished. */
    public String type() {
        return type;
    }
}
