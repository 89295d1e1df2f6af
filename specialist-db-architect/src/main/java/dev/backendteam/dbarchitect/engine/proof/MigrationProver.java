package dev.backendteam.dbarchitect.engine.proof;

/**
 * Proves migrations by running them: in a fresh sandbox database, the base (the project's migrations, the SQL
 * given) and every migration applied in order; the catalog inspected (every table has a primary key, every
 * foreign-key column leads an index, every timestamp is timestamptz, every updated_at column has its trigger, the API
 * roles' grants match each table's access markers under the job's grant model); the down scripts applied in reverse,
 * leaving the catalog as it was after the base; the migrations applied again. The engine calls it for its own step
 * (the bundle so far plus its new migrations) and for the validation round (the whole bundle).
 * With a {@link ProofPlan.Replay} (a diagnosis being fixed) it also replays the failing statement before the fix
 * (it must fail with the diagnosed SQLSTATE: the reproduction) and after it (it must resolve), and looks for the
 * diagnosed object on both sides.
 * <p>
 * An implementation returns evidence of the checks it ran, named by the constants below, each with the grant model
 * and server version it ran on, and {@code not_run} for those it could not run. With no
 * migrations (SQL handed in for review), the catalog checks cover the baseline's tables; otherwise only the tables the
 * migrations created, so that a user's existing schema never fails the proof of new migrations.
 */
public interface MigrationProver {
    String APPLY_BASELINE = "apply: the existing schema (the project's migrations, the SQL given) in a fresh sandbox";
    String APPLY = "apply: every migration, in order, in a fresh sandbox";
    String CATALOG_PRIMARY_KEYS = "catalog: every table has a primary key";
    String CATALOG_FOREIGN_KEY_INDEXES = "catalog: every foreign-key column leads an index";
    String CATALOG_TIMESTAMPTZ = "catalog: every timestamp column is timestamptz";
    String CATALOG_UPDATED_AT_TRIGGERS = "catalog: every updated_at column has a trigger";
    String CATALOG_GRANTS = "catalog: the API roles' grants match each table's access markers";
    String DOWN = "down: the down scripts in reverse leave the catalog as before the migrations";
    String UP_AGAIN = "up again: the migrations apply again after the down scripts";
    String REPLAY_BEFORE = "replay: the diagnosed statement fails as logged before the fix";
    String REPLAY_AFTER = "replay: the diagnosed statement resolves after the fix";
    String OBJECT_BEFORE_AFTER = "catalog: the diagnosed object is missing before the fix and present after it";
    String PROBE = "probe: the diagnosis checked against the job's schema, script by script";

    Proof prove(ProofPlan plan);

    /** Checks a diagnosis against the job's schema (see {@link ProbePlan}). */
    SchemaProbe probe(ProbePlan plan);
}
