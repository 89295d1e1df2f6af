package dev.backendteam.sandbox;

/** The sandbox against the default server: PostgreSQL 17 (zonky's embedded binaries). */
class Postgres17SandboxTest extends SandboxContract {

    @Override
    PostgresServers.TestServer server(PostgresServers.Servers servers) {
        return servers.pg17();
    }
}
