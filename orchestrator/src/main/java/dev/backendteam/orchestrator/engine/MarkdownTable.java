package dev.backendteam.orchestrator.engine;

import java.util.List;

/**
 * A Markdown table of the report: every cell on one line with its pipes escaped ({@link ReportRenderer#cell}), at
 * most {@link #MAX_ROWS} rows (the JSON report has them all).
 */
final class MarkdownTable {
    static final int MAX_ROWS = 200;

    private final StringBuilder md = new StringBuilder();
    private int rows;

    MarkdownTable(String... headers) {
        this(List.of(headers));
    }

    MarkdownTable(List<String> headers) {
        md.append('|');
        for (String h : headers) {
            md.append(' ').append(h).append(" |");
        }
        md.append("\n|").append("---|".repeat(headers.size())).append('\n');
    }

    MarkdownTable row(String... cells) {
        return row(List.of(cells));
    }

    MarkdownTable row(List<String> cells) {
        if (++rows > MAX_ROWS) {
            return this;
        }
        md.append('|');
        for (String c : cells) {
            md.append(' ').append(ReportRenderer.cell(c)).append(" |");
        }
        md.append('\n');
        return this;
    }

    @Override
    public String toString() {
        return rows > MAX_ROWS ? md + "\n(" + (rows - MAX_ROWS) + " more rows in the JSON report)\n" : md.toString();
    }
}
