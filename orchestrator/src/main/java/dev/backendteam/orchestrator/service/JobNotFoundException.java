package dev.backendteam.orchestrator.service;

import java.util.UUID;

/** No such job, or not one the caller owns (the two are indistinguishable on purpose). */
public class JobNotFoundException extends RuntimeException {
    public JobNotFoundException(UUID id) {
        super("job " + id + " does not exist");
    }
}
