package dev.backendteam.contract;

/** A question the job asked and the answer it got; specialists see the whole history. */
public record Clarification(String question, String answer) {
}
