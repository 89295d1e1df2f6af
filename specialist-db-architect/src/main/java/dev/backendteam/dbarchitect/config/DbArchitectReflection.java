package dev.backendteam.dbarchitect.config;

import dev.backendteam.dbarchitect.engine.fix.ColumnInference;
import dev.backendteam.dbarchitect.engine.lint.LintCatalog;
import dev.backendteam.dbarchitect.engine.lint.LintRule;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Jackson reads these from the lint catalogue's and the column inference's YAML by reflection: a native image keeps
 * them. NativeConfigurationTest fails when a type a mapper reaches is missing here.
 */
@RegisterForReflection(targets = { LintCatalog.class, LintCatalog.Parameters.class, LintRule.class, LintRule.Scope.class,
        ColumnInference.NameRule.class },
        classNames = "dev.backendteam.dbarchitect.engine.fix.ColumnInference$Catalogue")
public class DbArchitectReflection {
}
