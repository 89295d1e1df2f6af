package dev.backendteam.dbarchitect.engine.proof;

import dev.backendteam.dbarchitect.engine.design.ExistingSchema;

import java.util.List;

/**
 * What to check a diagnosis against: the job's schema as scripts in the order they apply (the project's migrations,
 * the SQL given, the bundle's migrations), the object the diagnosis names and the statement that failed (either may
 * be null). The probe applies the scripts one by one and, before the first and after each, looks for the object and
 * replays the statement: so it tells which script, if any, creates what the deployed database lacks.
 */
public record ProbePlan(String label, List<ExistingSchema.Script> scripts, String grants, CatalogObject object,
        String statement) {

    public ProbePlan {
        scripts = List.copyOf(scripts);
    }
}
