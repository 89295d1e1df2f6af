package dev.backendteam.contract.access;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static dev.backendteam.contract.access.Grantee.ANON;
import static dev.backendteam.contract.access.Grantee.AUTHENTICATED;
import static dev.backendteam.contract.access.Grantee.MEMBER;
import static dev.backendteam.contract.access.Grantee.OWNER;
import static dev.backendteam.contract.access.Grantee.PARENT;

/**
 * The rules a table gets from its shape and markers when the spec declares none (published in README and in the
 * domain spec's JSON Schema). service_role always has every privilege and is not listed.
 *
 * <pre>
 * shape                     select               insert          update          delete
 * serviceOnly               -                    -               -               -
 * tenantMembership          member               member:first    member:first    member:first
 * tenant itself             member               authenticated*  member:first    member:first
 * tenant                    member               member          member          member:managing
 * tenant + owner            member               owner           owner           owner
 * owner                     owner                owner           owner           owner
 * publicRead (+ owner)      anon, authenticated  owner           owner           owner
 * publicRead, no owner      anon, authenticated  -               -               -
 * belongsTo                 parent               parent          parent          parent
 * belongsTo + owner         parent               owner           owner           owner
 * manyToMany                parent               parent          -               parent
 * no marker                 authenticated        -               -               -
 * </pre>
 * (*) the creator becomes the tenant's first-role member in the same transaction. first = the first of the
 * membership's roles (e.g. owner); managing = every role but the last (the role a new member gets).
 */
public final class AccessDefaults {

    private AccessDefaults() {
    }

    public static Map<Operation, List<Grantee>> rules(TableIntent t, boolean publicRead, Tenancy tenancy) {
        Map<Operation, List<Grantee>> r = new EnumMap<>(Operation.class);
        boolean owned = t.ownerColumn() != null;
        if (t.serviceOnly()) {
            return r;
        }
        if (t.membership() || t.tenantRoot()) {
            Grantee first = tenancy == null || tenancy.firstRole() == null ? MEMBER : Grantee.member(tenancy.firstRole());
            r.put(Operation.SELECT, List.of(MEMBER));
            r.put(Operation.INSERT, List.of(t.tenantRoot() ? AUTHENTICATED : first));
            r.put(Operation.UPDATE, List.of(first));
            r.put(Operation.DELETE, List.of(first));
            return r;
        }
        List<Grantee> write = owned ? List.of(OWNER) : t.tenant() != null ? List.of(MEMBER)
                : !t.parents().isEmpty() ? List.of(PARENT) : List.of();
        if (publicRead) {
            r.put(Operation.SELECT, List.of(ANON, AUTHENTICATED));
        } else if (t.tenant() != null) {
            r.put(Operation.SELECT, List.of(MEMBER));
        } else if (!t.parents().isEmpty()) {
            r.put(Operation.SELECT, List.of(PARENT));
        } else if (owned) {
            r.put(Operation.SELECT, List.of(OWNER));
        } else {
            r.put(Operation.SELECT, List.of(AUTHENTICATED));
        }
        r.put(Operation.INSERT, write);
        r.put(Operation.UPDATE, t.join() ? List.of() : write);
        if (!owned && t.tenant() != null && tenancy != null) {
            r.put(Operation.DELETE, tenancy.managingRoles().stream().map(Grantee::member).toList());
        } else {
            r.put(Operation.DELETE, write);
        }
        return r;
    }
}
