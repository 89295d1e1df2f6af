package dev.backendteam.dbarchitect.config;

import dev.backendteam.contract.nativeimage.NativeImageContract;
import dev.backendteam.runtime.config.ContractReflection;
import dev.backendteam.sandbox.Sandbox;

import java.util.List;
import java.util.Set;

/** The service's native image registers what its mappers read and carries its catalogues (README "Native images"). */
class NativeConfigurationTest extends NativeImageContract {
    @Override
    protected Class<?> service() {
        return DbArchitectEngines.class;
    }

    @Override
    protected List<Class<?>> libraries() {
        return List.of(ContractReflection.class, Sandbox.class);
    }

    @Override
    protected Set<String> knownMappedTypes() {
        return Set.of("dev.backendteam.dbarchitect.engine.lint.LintCatalog", "dev.backendteam.dbarchitect.engine.fix.ColumnInference$Catalogue");
    }
}
