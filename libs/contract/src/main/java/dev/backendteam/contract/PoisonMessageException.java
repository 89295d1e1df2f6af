package dev.backendteam.contract;

/** A message that can never be processed; consumers nack it so that it goes to the dead-letter topic. */
public class PoisonMessageException extends RuntimeException {
    public PoisonMessageException(String reason) {
        super(reason);
    }
}
