package dev.backendteam.contract;

/**
 * The work of one role of a specialist service, in plain Java: the Quarkus service around it only wires it to
 * Kafka. A service hosts one engine per role; {@link TaskProcessor} dispatches each task by its role. An engine
 * returns only what it really computed; it may throw, and the caller reports that as a crash.
 */
public interface SpecialistEngine {

    /** The role this engine plays; its service is {@code role().service()}. */
    Role role();

    /** A step of the flow: do the work on the task, its inputs and the artifacts so far. */
    StepOutcome work(TaskEvent task);

    /** The validation round: replay the whole bundle in order and re-run this role's proofs. */
    StepOutcome validate(TaskEvent task);
}
