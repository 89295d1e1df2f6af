package dev.backendteam.runtime.config;

import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.SpecialistEngine;
import dev.backendteam.contract.TaskProcessor;
import io.quarkus.arc.All;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Gathers the service's engines (every CDI bean of type {@link SpecialistEngine}: one per role) into the
 * {@link TaskProcessor} that dispatches tasks by role. {@code backend-team.service} names the service; an engine of
 * another service, two engines for one role, or none at all stop the service at start.
 */
public class EngineWiring {
    private static final Logger LOG = Logger.getLogger(EngineWiring.class);

    @Produces
    @Singleton
    TaskProcessor taskProcessor(@ConfigProperty(name = "backend-team.service") String service,
            @All List<SpecialistEngine> engines) {
        TaskProcessor processor = new TaskProcessor(Specialist.of(service), engines);
        LOG.infof("%s hosts the roles %s", service, processor.roles().stream().map(r -> r.id())
                .collect(Collectors.joining(", ")));
        return processor;
    }
}
