package dev.backendteam.security.engine;

import dev.backendteam.contract.Evidence;
import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.sandbox.ScriptResult;

import java.util.List;
import java.util.Map;

/**
 * Runs the delivered pgTAP file in the sandbox, as {@code supabase test db} would: its own transaction, rolled back;
 * {@code finish(true)} raises when a test failed or the plan does not add up. Where the sandbox server has no pgTAP
 * (PostgreSQL from Debian: {@code postgresql-<version>-pgtap}; it must also be an allowed extension, which it is by
 * default, so the sandbox pre-installs it in its template), the check did not run, and says why.
 */
final class PgTapRun {

    private PgTapRun() {
    }

    static Evidence run(SandboxDatabase db, String file) {
        List<Map<String, Object>> installed = db.query("select extversion from pg_extension where extname = 'pgtap'");
        if (installed.isEmpty()) {
            return Evidence.notRun(AccessProof.PGTAP, "pgTAP is not installed on the sandbox server (PostgreSQL "
                    + db.serverVersionNum() / 10000 + "): install its package (Debian: postgresql-"
                    + db.serverVersionNum() / 10000 + "-pgtap) and keep pgtap among the sandbox's allowed extensions;"
                    + " the file is delivered, unproven");
        }
        long started = System.nanoTime();
        ScriptResult r = db.apply(file);
        long ms = (System.nanoTime() - started) / 1_000_000;
        if (!r.ok()) {
            return new Evidence(AccessProof.PGTAP, false, "pgTAP " + installed.get(0).get("extversion") + ": "
                    + r.error().describe(), ms);
        }
        long tests = r.statements().stream().filter(s -> s.firstLine().startsWith("select is(")
                || s.firstLine().startsWith("select matches("))
                .count();
        return new Evidence(AccessProof.PGTAP, true, "pgTAP " + installed.get(0).get("extversion") + ": " + tests
                + " tests passed (plan and finish(true) agree)", ms);
    }
}
