package dev.backendteam.dbarchitect.engine.design;

/**
 * The one trigger function that keeps {@code updated_at} current. Its name is the coordination point with the
 * sandbox's template (which may carry a helper of the same name): generated migrations create it themselves,
 * idempotently ({@code create or replace}), so they apply to any Supabase project, not only to the sandbox.
 */
public final class UpdatedAtFunction {
    public static final String NAME = "public.set_updated_at";
    public static final String MIGRATION = "create_set_updated_at_function";

    private UpdatedAtFunction() {
    }

    public static String trigger(String table) {
        return table + "_set_updated_at";
    }
}
