package dev.backendteam.orchestrator.config;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventOwnersTest {

    @Test
    void theFirstMatchingSourceNamesTheOwnerElseTheDefault() {
        EventOwners owners = new EventOwners(Optional.of(" urn:crm:eu=eu-sales , urn:crm:*=sales,urn:billing=finance"),
                "events");
        assertEquals("eu-sales", owners.ownerOf("urn:crm:eu"), "the first rule wins");
        assertEquals("sales", owners.ownerOf("urn:crm:us"));
        assertEquals("finance", owners.ownerOf("urn:billing"));
        assertEquals("events", owners.ownerOf("urn:billing:eu"), "without * a source matches exactly");
        assertEquals("events", owners.ownerOf("urn:other"));
        assertEquals("events", owners.ownerOf(null), "a record without ce_source");
        assertEquals("events", new EventOwners(Optional.empty(), "events").ownerOf("urn:crm:eu"));
    }

    @Test
    void aRuleThatIsNotSourceEqualsOwnerIsRefusedAtStart() {
        for (String bad : new String[] {"urn:crm", "=sales", "urn:crm=", "*=sales", "urn:*:eu=sales"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new EventOwners(Optional.of(bad), "events"), bad);
            assertTrue(e.getMessage().contains("<ce_source>=<owner>"), e.getMessage());
        }
    }
}
