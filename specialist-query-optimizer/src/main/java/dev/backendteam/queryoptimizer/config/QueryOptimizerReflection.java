package dev.backendteam.queryoptimizer.config;

import dev.backendteam.queryoptimizer.rewrite.RewriteRule;
import dev.backendteam.queryoptimizer.targetdb.ExistingIndexes;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Jackson reads these from the rewrite catalogue's and the existing-index rules' YAML by reflection: a native image
 * keeps them. NativeConfigurationTest fails when a type a mapper reaches is missing here.
 */
@RegisterForReflection(targets = { RewriteRule.class, ExistingIndexes.Rule.class },
        classNames = { "dev.backendteam.queryoptimizer.rewrite.RewriteCatalogue$File",
                "dev.backendteam.queryoptimizer.targetdb.ExistingIndexes$Catalogue" })
public class QueryOptimizerReflection {
}
