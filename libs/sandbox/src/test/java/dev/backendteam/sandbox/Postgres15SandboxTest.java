package dev.backendteam.sandbox;

/**
 * The same contract against PostgreSQL 15 (Debian's binaries, password authentication), the other version Supabase
 * projects run. Skipped, with the apt command to run, when the binaries are not installed.
 */
class Postgres15SandboxTest extends SandboxContract {

    @Override
    PostgresServers.TestServer server(PostgresServers.Servers servers) {
        return servers.pg15();
    }
}
