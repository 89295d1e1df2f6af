package dev.backendteam.security.config;

import dev.backendteam.contract.SpecialistEngine;
import dev.backendteam.sandbox.Sandbox;
import dev.backendteam.security.engine.CatalogueLints;
import dev.backendteam.security.engine.SecurityEngine;
import dev.backendteam.sandbox.targetdb.TargetDatabase;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Optional;

/** The service's one role, handed to the specialist runtime, which consumes the topic and dispatches by role. */
public class SecurityEngines {

    @Produces
    @Singleton
    SpecialistEngine security(Optional<Sandbox> sandbox) {
        // a job's target (BACKEND_TEAM_TARGET_<NAME>_URL) is read, never written
        return new SecurityEngine(sandbox, new CatalogueLints(),
                name -> TargetDatabase.open(name, System.getenv(), Duration.ofSeconds(15)));
    }
}
