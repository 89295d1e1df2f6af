package dev.backendteam.contract;

/**
 * The work of one specialist, in plain Java: the Quarkus service around it only wires it to Kafka. An engine
 * returns only what it really computed; it may throw, and the caller reports that as a crash.
 */
public interface SpecialistEngine {

    Specialist specialist();

    /** A step of the flow: do the work on the task, its inputs and the artifacts so far. */
    StepOutcome work(TaskEvent task);

    /** The validation round: replay the whole bundle in order and re-run this specialist's proofs. */
    StepOutcome validate(TaskEvent task);
}
