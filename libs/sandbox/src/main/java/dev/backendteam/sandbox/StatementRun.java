package dev.backendteam.sandbox;

import java.util.List;

/**
 * A statement that ran. {@code rows}: rows affected by INSERT/UPDATE/DELETE/MERGE, rows returned by a query,
 * 0 for other commands. {@code notices}: the server's NOTICE/WARNING messages (e.g. "… already exists, skipping").
 */
public record StatementRun(int index, int line, int column, String firstLine, String keyword, long durationMs,
                           long rows, List<String> notices) {

    public StatementRun {
        notices = List.copyOf(notices);
    }
}
