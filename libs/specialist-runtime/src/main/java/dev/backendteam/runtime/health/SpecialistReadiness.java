package dev.backendteam.runtime.health;

import dev.backendteam.contract.Role;
import dev.backendteam.contract.TaskProcessor;
import dev.backendteam.runtime.config.SandboxWiring;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.util.stream.Collectors;

/**
 * Says on {@code /q/health/ready} which service this is, the roles it hosts and whether a sandbox is configured.
 * Always up: without a sandbox the service still works (its results say no proof ran), so it stays in rotation; the
 * broker connection is what the messaging channels' own checks report.
 */
@Readiness
@ApplicationScoped
public class SpecialistReadiness implements HealthCheck {
    private final TaskProcessor processor;
    private final boolean sandbox;

    public SpecialistReadiness(TaskProcessor processor) {
        this.processor = processor;
        this.sandbox = SandboxWiring.configured();
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("specialist").up()
                .withData("service", processor.service().id())
                .withData("roles", processor.roles().stream().map(Role::id).collect(Collectors.joining(",")))
                .withData("sandbox", sandbox ? "configured" : "not configured: no proof runs")
                .build();
    }
}
