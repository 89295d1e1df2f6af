package dev.backendteam.security.config;

import dev.backendteam.security.engine.catalog.SchemaCatalog;
import dev.backendteam.security.engine.lint.FixKind;
import dev.backendteam.security.engine.lint.LintCatalogue;
import dev.backendteam.security.engine.lint.LintRule;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Jackson reads these from the catalog's JSON and the lint catalogue's YAML by reflection: a native image keeps them. */
@RegisterForReflection(targets = { SchemaCatalog.Column.class, SchemaCatalog.ForeignKey.class,
        SchemaCatalog.Policy.class, SchemaCatalog.Grant.class, SchemaCatalog.Trigger.class, LintCatalogue.class,
        LintRule.class, LintRule.Variant.class, FixKind.class },
        classNames = "dev.backendteam.security.engine.lint.LintCatalogue$Data")
public class SecurityReflection {
}
