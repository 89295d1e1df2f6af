-- The LEGACY grant model: Supabase before "Default privileges for new entities" was switched off (2026-10-30).
-- What the runner (standing in for Supabase's postgres role) creates in public is granted to the API roles, so a
-- table is reachable through the Data API without a GRANT and RLS alone decides which rows. The direct EXECUTE
-- grant on functions means `revoke execute … from public` alone does not take a function from anon or
-- authenticated: it must be revoked from them too.
alter default privileges for role {{runner}} in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges for role {{runner}} in schema public grant all on sequences to anon, authenticated, service_role;
alter default privileges for role {{runner}} in schema public grant all on functions to anon, authenticated, service_role;
