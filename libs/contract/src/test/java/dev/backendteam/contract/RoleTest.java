package dev.backendteam.contract;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoleTest {

    @Test
    void theNineSpecialistsAreRolesOfTheFourServices() {
        assertEquals(9, Role.values().length);
        assertEquals(List.of(Role.SCHEMA, Role.API_DATA, Role.WEBSOCKET), Specialist.DB_ARCHITECT.roles());
        assertEquals(List.of(Role.DEPLOYMENT, Role.DEBUGGER, Role.MONITOR, Role.EDGE_FUNCTIONS),
                Specialist.OPS.roles());
        assertEquals(List.of(Role.SECURITY), Specialist.SECURITY.roles());
        assertEquals(List.of(Role.QUERY_OPTIMIZER), Specialist.QUERY_OPTIMIZER.roles());
    }

    @Test
    void rolesNotBuiltYetAreMarked() {
        assertEquals(List.of(Role.API_DATA, Role.WEBSOCKET),
                List.of(Role.values()).stream().filter(r -> !r.built()).toList());
    }

    @Test
    void aMissingRoleMeansTheDefaultOneExceptForOps() {
        assertEquals(Optional.of(Role.SCHEMA), Role.of(Specialist.DB_ARCHITECT, null));
        assertEquals(Optional.of(Role.SECURITY), Role.of(Specialist.SECURITY, " "));
        assertEquals(Optional.empty(), Role.of(Specialist.OPS, null));
        assertEquals(Optional.of(Role.EDGE_FUNCTIONS), Role.of(Specialist.OPS, "edge-functions"));
        assertEquals(Optional.empty(), Role.of(Specialist.SECURITY, "debugger"), "a role of another service");
        assertTrue(Role.unknown(Specialist.OPS, null).contains("deployment, debugger, monitor, edge-functions"));
    }

    @Test
    void labelsNameTheRoleOnlyWhereTheServiceAloneDoesNot() {
        assertEquals("db-architect", Role.SCHEMA.label());
        assertEquals("db-architect(api-data)", Role.API_DATA.label());
        assertEquals("security", Role.SECURITY.label());
        assertEquals("ops(debugger)", Role.DEBUGGER.label());
    }

    @Test
    void formerServiceNamesAreNoLongerServices() {
        for (String former : List.of("api-data", "edge-functions", "websocket")) {
            assertThrows(IllegalArgumentException.class, () -> Specialist.of(former), former);
        }
    }
}
