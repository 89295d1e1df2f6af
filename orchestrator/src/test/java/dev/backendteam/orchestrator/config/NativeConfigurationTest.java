package dev.backendteam.orchestrator.config;

import dev.backendteam.contract.nativeimage.NativeImageContract;
import dev.backendteam.orchestrator.engine.FlowCatalog;
import dev.backendteam.orchestrator.engine.FlowExamples;
import dev.backendteam.orchestrator.engine.FlowStep;
import dev.backendteam.orchestrator.engine.JobReport;
import dev.backendteam.sandbox.ScriptSplitter;

import java.util.List;
import java.util.Set;

/** The orchestrator's native image registers what its mappers read and carries its catalogues (README "Native images"). */
class NativeConfigurationTest extends NativeImageContract {
    @Override
    protected Class<?> service() {
        return ReflectionRegistrations.class;
    }

    @Override
    protected List<Class<?>> libraries() {
        return List.of(ScriptSplitter.class);
    }

    @Override
    protected Set<String> knownMappedTypes() {
        return Set.of(FlowCatalog.class.getName(), FlowExamples.class.getName(), FlowStep.class.getName(),
                JobReport.class.getName());
    }
}
