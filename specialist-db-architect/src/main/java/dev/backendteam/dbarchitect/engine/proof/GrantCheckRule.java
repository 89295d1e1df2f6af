package dev.backendteam.dbarchitect.engine.proof;

import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Severity;
import dev.backendteam.contract.evidence.GrantCheck;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares the privileges each API role really holds on each table (from the catalog) with what its access markers
 * imply ({@link TableAccess}). A privilege beyond the intent is an error under explicit grants (someone granted it)
 * and a warning under legacy grants (the project's default privileges gave it; RLS is then the only guard): both
 * come with the {@code revoke} that removes it. A missing privilege is a warning: the table is not reachable through
 * the Data API for that role until the security specialist writes the grant.
 */
public final class GrantCheckRule {
    public static final String EXCESS = "catalog.grant-excess";
    public static final String MISSING = "catalog.grant-missing";

    /** The check's outcome: the table of every (table, role), the findings, and whether any is an error. */
    public record Result(GrantCheck table, List<Finding> findings, boolean passed) {
    }

    private GrantCheckRule() {
    }

    /** {@code actual}: table → role → the privileges it holds. */
    public static Result check(String grants, List<TableAccess> intents, Map<String, Map<String, Set<String>>> actual) {
        boolean explicit = "explicit".equals(grants);
        List<GrantCheck.Row> rows = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        boolean passed = true;
        for (TableAccess intent : intents) {
            Map<String, Set<String>> held = actual.getOrDefault(intent.table(), Map.of());
            List<String> lacking = new ArrayList<>();
            List<String> grantsToAdd = new ArrayList<>();
            for (String role : TableAccess.API_ROLES) {
                List<String> has = TableAccess.PRIVILEGES.stream()
                        .filter(p -> held.getOrDefault(role, Set.of()).contains(p)).toList();
                List<String> allowed = intent.allowed(role);
                List<String> excess = has.stream().filter(p -> !allowed.contains(p)).toList();
                List<String> missing = allowed.stream().filter(p -> !has.contains(p)).toList();
                String verdict = !excess.isEmpty() ? "excess" : !missing.isEmpty() ? "missing" : "ok";
                rows.add(new GrantCheck.Row(intent.table(), role, intent.marker(), allowed, has, verdict));
                if (!excess.isEmpty()) {
                    passed &= !explicit;
                    findings.add(new Finding(EXCESS, explicit ? Severity.ERROR : Severity.WARN, intent.table(),
                            role + " holds " + String.join(", ", excess) + " on " + intent.table() + ", beyond what"
                                    + " its " + intent.marker() + " marker allows" + (explicit ? ""
                                    : " (under legacy grants the project's default privileges gave it; row-level"
                                    + " security is then the only guard)"),
                            "revoke " + String.join(", ", excess) + " on table " + intent.table() + " from " + role
                                    + ";", null));
                } else if (!missing.isEmpty()) {
                    lacking.add(role + (has.isEmpty() ? " (nothing)" : " (" + String.join(", ", missing) + ")"));
                    grantsToAdd.add("grant " + String.join(", ", missing) + " on table " + intent.table() + " to "
                            + role + ";");
                }
            }
            if (!lacking.isEmpty()) {
                findings.add(new Finding(MISSING, Severity.WARN, intent.table(), intent.table() + " lacks the grants"
                        + " its " + intent.marker() + " marker implies for " + String.join(", ", lacking) + ": under "
                        + grants + " grants the Data API refuses those roles (42501) until granted; the security"
                        + " specialist writes the grants with the policies", String.join(" ", grantsToAdd), null));
            }
        }
        return new Result(new GrantCheck(grants, rows), findings, passed);
    }
}
