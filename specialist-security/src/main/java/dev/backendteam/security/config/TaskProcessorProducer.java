package dev.backendteam.security.config;

import dev.backendteam.contract.TaskProcessor;
import dev.backendteam.security.engine.SecurityEngine;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Wires the plain-Java engine into CDI. */
public class TaskProcessorProducer {

    @Produces
    @Singleton
    TaskProcessor taskProcessor() {
        return new TaskProcessor(new SecurityEngine());
    }
}
