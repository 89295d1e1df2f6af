package dev.backendteam.security.engine;

import dev.backendteam.contract.Finding;
import dev.backendteam.contract.access.AccessIntent;
import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.security.engine.catalog.SchemaCatalog;

import java.util.List;

/**
 * The lint catalogue, run against a sandbox database's catalog and judged against the access intent; {@code catalog}
 * is that database's catalog as the caller has already read it.
 */
@FunctionalInterface
public interface SecurityLints {

    List<Finding> lint(SandboxDatabase db, AccessIntent intent, SchemaCatalog catalog);
}
