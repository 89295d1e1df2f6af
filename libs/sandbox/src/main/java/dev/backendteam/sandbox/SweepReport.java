package dev.backendteam.sandbox;

import java.util.List;

/** What the janitor dropped, and what it could not drop (with the reason). */
public record SweepReport(List<String> droppedDatabases, List<String> droppedRoles, List<String> failures) {

    public SweepReport {
        droppedDatabases = List.copyOf(droppedDatabases);
        droppedRoles = List.copyOf(droppedRoles);
        failures = List.copyOf(failures);
    }
}
