package dev.backendteam.queryoptimizer.config;

import dev.backendteam.contract.nativeimage.NativeImageContract;
import dev.backendteam.runtime.config.ContractReflection;
import dev.backendteam.sandbox.Sandbox;

import java.util.List;
import java.util.Set;

/** The service's native image registers what its mappers read and carries its catalogues (README "Native images"). */
class NativeConfigurationTest extends NativeImageContract {
    @Override
    protected Class<?> service() {
        return QueryOptimizerEngines.class;
    }

    @Override
    protected List<Class<?>> libraries() {
        return List.of(ContractReflection.class, Sandbox.class);
    }

    @Override
    protected Set<String> knownMappedTypes() {
        return Set.of("dev.backendteam.queryoptimizer.rewrite.RewriteCatalogue$File", "dev.backendteam.queryoptimizer.targetdb.ExistingIndexes$Catalogue");
    }
}
