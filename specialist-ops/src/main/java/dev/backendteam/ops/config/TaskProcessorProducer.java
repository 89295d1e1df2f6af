package dev.backendteam.ops.config;

import dev.backendteam.contract.TaskProcessor;
import dev.backendteam.ops.engine.DebuggerPatterns;
import dev.backendteam.ops.engine.OpsEngine;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Wires the plain-Java engine into CDI; the catalogue is read once, at start-up, so a broken one fails fast. */
public class TaskProcessorProducer {

    @Produces
    @Singleton
    TaskProcessor taskProcessor() {
        return new TaskProcessor(new OpsEngine(DebuggerPatterns.bundled()));
    }
}
