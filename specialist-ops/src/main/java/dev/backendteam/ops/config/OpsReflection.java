package dev.backendteam.ops.config;

import dev.backendteam.ops.deployment.docker.DockerfileRule;
import dev.backendteam.ops.deployment.docker.DockerfileRules;
import dev.backendteam.ops.deployment.render.BaseImages;
import dev.backendteam.ops.deployment.stack.StackCatalogue;
import dev.backendteam.ops.monitor.Diagnostic;
import dev.backendteam.ops.monitor.MonitorCatalogue;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Jackson reads these from the catalogues' YAML (Dockerfile rules, base images, stacks, monitor diagnostics) by
 * reflection: a native image keeps them. NativeConfigurationTest fails when a type a mapper reaches is missing here.
 */
@RegisterForReflection(targets = { DockerfileRules.class, DockerfileRule.class, BaseImages.class, StackCatalogue.class,
        MonitorCatalogue.class, Diagnostic.class })
public class OpsReflection {
}
