package dev.backendteam.ops.config;

import dev.backendteam.contract.nativeimage.NativeImageContract;
import dev.backendteam.runtime.config.ContractReflection;
import dev.backendteam.sandbox.Sandbox;

import java.util.List;
import java.util.Set;

/** The service's native image registers what its mappers read and carries its catalogues (README "Native images"). */
class NativeConfigurationTest extends NativeImageContract {
    @Override
    protected Class<?> service() {
        return OpsEngines.class;
    }

    @Override
    protected List<Class<?>> libraries() {
        return List.of(ContractReflection.class, Sandbox.class);
    }

    @Override
    protected Set<String> knownMappedTypes() {
        return Set.of("dev.backendteam.ops.monitor.MonitorCatalogue", "dev.backendteam.ops.deployment.docker.DockerfileRules", "dev.backendteam.ops.deployment.render.BaseImages", "dev.backendteam.ops.deployment.stack.StackCatalogue");
    }
}
