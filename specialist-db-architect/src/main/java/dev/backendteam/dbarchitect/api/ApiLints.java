package dev.backendteam.dbarchitect.api;

import dev.backendteam.contract.Finding;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The catalog checks on what the Data API exposes, run on every view and function of the database after the bundle
 * and the API migration applied — the user's and earlier steps' as well as this role's own (README, rule table).
 */
public final class ApiLints {
    private static final Pattern USER_ARGUMENT = Pattern.compile("^(p_|_|in_)?(user|owner|author|member|account"
            + "|profile)(_id|id)?$|^(p_|_)?uid$");

    private ApiLints() {
    }

    /**
     * The role's own functions as the catalog holds them: security invoker with an empty search_path, as it derives
     * them — anything else means the delivered migration was changed (an error, whoever may call it).
     */
    public static List<Finding> own(ApiCatalog catalog, ApiDesign design) {
        ApiRules rules = ApiRules.standard();
        List<Finding> findings = new ArrayList<>();
        for (ApiDesign.Rpc r : design.rpcs()) {
            for (ApiCatalog.Function f : catalog.functions()) {
                if (!f.exposed() || !f.name().equals(r.name())) {
                    continue;
                }
                if (f.definer()) {
                    findings.add(rules.finding("api.own-not-invoker", f.signature(), null));
                }
                if (f.config().stream().noneMatch(c -> c.equals("search_path=\"\"") || c.equals("search_path="))) {
                    findings.add(rules.finding("api.own-search-path", f.signature(), null));
                }
            }
        }
        return findings;
    }

    public static List<Finding> check(ApiCatalog catalog) {
        ApiRules rules = ApiRules.standard();
        List<Finding> findings = new ArrayList<>();
        for (ApiCatalog.Function f : catalog.functions()) {
            String callers = String.join(" and ", f.executableBy().stream().filter(r -> !r.equals("service_role"))
                    .toList());
            if (f.definer() && f.callable()) {
                findings.add(rules.finding("api.definer-exposed", f.signature(), callers));
            }
            if (f.definer() && !f.fixedSearchPath()) {
                findings.add(rules.finding("api.definer-search-path", f.signature(), null));
            } else if (f.callable() && !f.fixedSearchPath()) {
                findings.add(rules.finding("api.mutable-search-path", f.signature(), null));
            }
            if (f.callable()) {
                List<String> users = f.args().stream().filter(a -> a.type().equals("uuid")
                        && USER_ARGUMENT.matcher(a.name()).matches()).map(a -> a.name() + " uuid").toList();
                if (!users.isEmpty()) {
                    findings.add(rules.finding("api.user-id-argument", f.signature(), String.join(", ", users)));
                }
            }
        }
        for (ApiCatalog.View v : catalog.views()) {
            ApiCatalog.Relation r = catalog.relation(v.name()).orElseThrow();
            List<String> readers = new ArrayList<>();
            for (String role : List.of("anon", "authenticated")) {
                if (r.may(role, "select")) {
                    readers.add(role);
                }
            }
            if (readers.isEmpty()) {
                continue;
            }
            String who = String.join(" and ", readers);
            String name = r.qualified();
            if (!v.securityInvoker()) {
                findings.add(rules.finding("api.view-not-invoker", name, who));
            }
            if (v.readsAuthUsers()) {
                findings.add(rules.finding("api.view-auth-users", name, who));
            }
            List<String> sensitive = r.columns().stream().map(ApiCatalog.Column::name).filter(ApiDesign::sensitive)
                    .toList();
            if (!sensitive.isEmpty()) {
                Finding f = rules.finding("api.view-sensitive-column", name, who);
                findings.add(new Finding(f.ruleId(), f.severity(), f.object(), f.message() + ": "
                        + String.join(", ", sensitive), f.fix(), null));
            }
        }
        return findings;
    }
}
