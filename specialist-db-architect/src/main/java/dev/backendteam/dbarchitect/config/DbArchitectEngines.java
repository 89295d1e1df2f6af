package dev.backendteam.dbarchitect.config;

import dev.backendteam.contract.SpecialistEngine;
import dev.backendteam.contract.llm.ModelSession;
import dev.backendteam.dbarchitect.api.ApiDataEngine;
import dev.backendteam.dbarchitect.engine.DbArchitectEngine;
import dev.backendteam.dbarchitect.engine.proof.MigrationProver;
import dev.backendteam.dbarchitect.engine.proof.NoSandboxProver;
import dev.backendteam.dbarchitect.engine.proof.SandboxMigrationProver;
import dev.backendteam.dbarchitect.engine.typescript.TypeScriptCompile;
import dev.backendteam.dbarchitect.engine.typescript.TypeScriptToolchain;
import dev.backendteam.dbarchitect.realtime.RealtimeEngine;
import dev.backendteam.sandbox.Sandbox;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Optional;

/**
 * The service's roles, handed to the specialist runtime: schema, api-data and websocket. Their proofs run in the
 * runtime's sandbox; without one, each runs nothing and every result says its proofs did not run. With a model
 * configured (the runtime's ModelWiring) the schema role also reads plain words.
 */
public class DbArchitectEngines {

    @Produces
    @Singleton
    SpecialistEngine schema(Optional<Sandbox> sandbox, Optional<ModelSession> model) {
        MigrationProver prover = sandbox.<MigrationProver>map(SandboxMigrationProver::new)
                .orElseGet(NoSandboxProver::new);
        return new DbArchitectEngine(prover, model);
    }

    /** The api-data role: the Data API the schema implies, proven in the runtime's sandbox. */
    @Produces
    @Singleton
    SpecialistEngine apiData(Optional<Sandbox> sandbox, TypeScriptCompile typeScript) {
        return new ApiDataEngine(sandbox, typeScript);
    }

    /** The websocket role: publication, channel policies and client code, proven in the runtime's sandbox. */
    @Produces
    @Singleton
    SpecialistEngine websocket(Optional<Sandbox> sandbox, TypeScriptCompile typeScript) {
        return new RealtimeEngine(sandbox, typeScript);
    }

    /**
     * The TypeScript checker of the roles that deliver TypeScript, from the toolchain folder
     * ({@code backend-team.db-architect.toolchain}); a missing one makes their compile checks {@code not_run}.
     */
    @Produces
    @Singleton
    TypeScriptCompile typeScript(@ConfigProperty(name = "backend-team.db-architect.toolchain") Optional<String> dir,
            @ConfigProperty(name = "backend-team.db-architect.check-timeout", defaultValue = "60s") Duration timeout) {
        return new TypeScriptCompile(TypeScriptToolchain.locate(dir, timeout));
    }
}
