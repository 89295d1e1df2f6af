package dev.backendteam.orchestrator.rest;

import jakarta.enterprise.context.RequestScoped;

/** Who is calling: the owner name of the API key presented (or the local owner when no keys are configured). */
@RequestScoped
public class Caller {
    private String owner;

    public String owner() {
        if (owner == null) {
            throw new IllegalStateException("the caller was not authenticated");
        }
        return owner;
    }

    void authenticate(String owner) {
        this.owner = owner;
    }
}
