package dev.backendteam.security.engine.matrix;

import dev.backendteam.contract.access.AccessIntent;
import dev.backendteam.contract.access.Grantee;
import dev.backendteam.contract.access.Operation;
import dev.backendteam.contract.access.TableIntent;

import java.util.Optional;

/**
 * What the access intent says about one row for one actor and operation, evaluated in Java on the world's rows (the
 * README's semantics: grantees OR'ed, each signed-in grantee limited to the row's tenant and readable parents;
 * service_role always). The policies are never consulted: the matrix compares this with what PostgreSQL does.
 */
final class Expectations {
    private final AccessIntent intent;
    private final World world;

    Expectations(AccessIntent intent, World world) {
        this.intent = intent;
        this.world = world;
    }

    boolean allows(Actor a, TableIntent t, Operation op, World.Row r) {
        if (a.service()) {
            return true;
        }
        for (Grantee g : t.rule(op)) {
            if (matches(a, t, g, r) && scoped(a, t, g, r)) {
                return true;
            }
        }
        return false;
    }

    private boolean matches(Actor a, TableIntent t, Grantee g, World.Row r) {
        return switch (g.kind()) {
            case ANON -> !a.signedIn();
            case AUTHENTICATED -> a.signedIn();
            case OWNER -> a.signedIn() && a.user().equals(r.owner());
            case MEMBER -> a.signedIn() && r.tenant() != null && world.roleIn(a.user(), r.tenant())
                    .filter(role -> g.role() == null || g.role().equals(role)).isPresent();
            case PARENT -> a.signedIn() && parentsReadable(a, t, r);
        };
    }

    private boolean scoped(Actor a, TableIntent t, Grantee g, World.Row r) {
        if (g.kind() == Grantee.Kind.ANON) {
            return true;
        }
        if (g.kind() != Grantee.Kind.MEMBER && t.tenantColumn() != null && !t.membership()
                && (r.tenant() == null || world.roleIn(a.user(), r.tenant()).isEmpty())) {
            return false;
        }
        return g.kind() == Grantee.Kind.PARENT || t.parents().isEmpty() || parentsReadable(a, t, r);
    }

    private boolean parentsReadable(Actor a, TableIntent t, World.Row r) {
        for (TableIntent.Parent p : t.parents()) {
            World.Row parent = r.parents().get(p.column());
            Optional<TableIntent> pt = intent.table(p.table());
            if (parent == null || pt.isEmpty() || !allows(a, pt.get(), Operation.SELECT, parent)) {
                return false;
            }
        }
        return true;
    }
}
