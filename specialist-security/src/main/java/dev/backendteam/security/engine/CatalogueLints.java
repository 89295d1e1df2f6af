package dev.backendteam.security.engine;

import dev.backendteam.contract.Finding;
import dev.backendteam.contract.access.AccessIntent;
import dev.backendteam.contract.access.Grantee;
import dev.backendteam.contract.access.Operation;
import dev.backendteam.contract.access.TableIntent;
import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.security.engine.catalog.SchemaCatalog;
import dev.backendteam.security.engine.lint.LintIntent;
import dev.backendteam.security.engine.lint.SecurityLinter;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The lint catalogue ({@link SecurityLinter}) judged against the access intent: the intent tells the linter which
 * tables are service-only, which privileges each role may hold and which columns say whose a row is; and a policy
 * that is always true where the intent gives the operation to every signed-in user (or visitor) is what was meant,
 * not a finding.
 */
public final class CatalogueLints implements SecurityLints {
    static final String ALWAYS_TRUE = "security.always-true-policy";
    private final SecurityLinter linter = new SecurityLinter();

    @Override
    public List<Finding> lint(SandboxDatabase db, AccessIntent intent, SchemaCatalog catalog) {
        List<Finding> findings = linter.lint(db, view(intent));
        return findings.stream().filter(f -> !intended(f, intent, catalog)).toList();
    }

    static LintIntent view(AccessIntent intent) {
        return new LintIntent() {
            @Override
            public boolean serviceOnly(String table) {
                // the marker, or rules that give no operation to anyone but the service
                return intent.table(table).map(t -> t.serviceOnly() || t.rules().values().stream()
                        .allMatch(List::isEmpty)).orElse(false);
            }

            @Override
            public Optional<Set<String>> privileges(String table, String role) {
                return intent.table(table).map(t -> {
                    Set<String> ops = new LinkedHashSet<>();
                    t.privileges(role).forEach(op -> ops.add(op.wire()));
                    return ops;
                });
            }

            @Override
            public Set<String> protectedColumns(String table) {
                return intent.table(table).<Set<String>>map(t -> new LinkedHashSet<>(t.protectedColumns()))
                        .orElse(Set.of());
            }
        };
    }

    /** An always-true policy for a role whose grantee of that operation is every signed-in user or visitor. */
    private static boolean intended(Finding f, AccessIntent intent, SchemaCatalog catalog) {
        if (!ALWAYS_TRUE.equals(f.ruleId()) || f.object() == null) {
            return false;
        }
        for (SchemaCatalog.Table t : catalog.tables()) {
            if (!f.object().startsWith(t.qualified() + ".")) {
                continue;
            }
            String policy = f.object().substring(t.qualified().length() + 1);
            Optional<TableIntent> ti = intent.table(t.qualified());
            Optional<SchemaCatalog.Policy> p = t.policies().stream().filter(x -> x.name().equals(policy)).findFirst();
            if (ti.isEmpty() || p.isEmpty() || p.get().command().equals("all")) {
                return false;
            }
            List<Grantee> grantees = ti.get().rule(Operation.of(p.get().command()));
            return p.get().roles().stream().allMatch(role -> switch (role) {
                case "anon" -> grantees.contains(Grantee.ANON);
                case "authenticated" -> grantees.contains(Grantee.AUTHENTICATED);
                default -> false;
            });
        }
        return false;
    }
}
