package dev.backendteam.security.config;

import dev.backendteam.contract.SpecialistEngine;
import dev.backendteam.contract.llm.ModelSession;
import dev.backendteam.sandbox.Sandbox;
import dev.backendteam.security.engine.CatalogueLints;
import dev.backendteam.security.engine.SecurityEngine;
import dev.backendteam.security.engine.ai.DraftedIntent;
import dev.backendteam.sandbox.targetdb.TargetDatabase;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Optional;

/**
 * The service's one role, handed to the specialist runtime, which consumes the topic and dispatches by role; the
 * runtime's model, when one is configured, drafts the access intent nobody declared.
 */
public class SecurityEngines {

    @Produces
    @Singleton
    SpecialistEngine security(Optional<Sandbox> sandbox, Optional<ModelSession> model, SecurityConfig config) {
        // a job's target (BACKEND_TEAM_TARGET_<NAME>_URL) is read, never written; a model drafts only data
        return new SecurityEngine(sandbox, new CatalogueLints(),
                name -> TargetDatabase.open(name, System.getenv(), Duration.ofSeconds(15)),
                new DraftedIntent(model, config.confirmDraftedAccess()));
    }
}
