package dev.backendteam.queryoptimizer.config;

import dev.backendteam.contract.TaskProcessor;
import dev.backendteam.queryoptimizer.engine.QueryOptimizerEngine;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Wires the plain-Java engine into CDI. */
public class TaskProcessorProducer {

    @Produces
    @Singleton
    TaskProcessor taskProcessor() {
        return new TaskProcessor(new QueryOptimizerEngine());
    }
}
