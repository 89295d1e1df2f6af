package dev.backendteam.orchestrator.rest;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubmissionGateTest {
    @Test
    void placesUpToTheBoundThenNoneUntilOneIsGivenBack() {
        SubmissionGate gate = new SubmissionGate(2);
        assertTrue(gate.enabled());
        assertTrue(gate.tryEnter());
        assertTrue(gate.tryEnter());
        assertFalse(gate.tryEnter(), "a third at once");
        assertFalse(gate.tryEnter(), "a refusal takes no place");
        assertEquals(2, gate.inFlight());
        gate.leave();
        assertTrue(gate.tryEnter());
        assertEquals(2, gate.inFlight());
    }

    @Test
    void zeroIsNoBoundAndANegativeBoundIsRefused() {
        assertFalse(new SubmissionGate(0).enabled());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SubmissionGate(-1));
        assertTrue(e.getMessage().contains("submissions-in-flight"), e.getMessage());
    }
}
