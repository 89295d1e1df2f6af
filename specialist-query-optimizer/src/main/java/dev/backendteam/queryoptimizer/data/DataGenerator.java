package dev.backendteam.queryoptimizer.data;

import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.sandbox.ScriptResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Realistic data for the query-optimizer's proofs: reads the sandbox database's tables and constraints, fills them
 * parents first with skewed, constraint-respecting rows (or the shape a real database's statistics describe), set-based
 * in adaptive chunks, then analyzes them. A table it cannot fill is left with what it got and named in the notes.
 */
public final class DataGenerator {
    private static final System.Logger LOG = System.getLogger(DataGenerator.class.getName());
    private final GenerationSettings settings;
    private final CatalogReader catalog = new CatalogReader();
    private final Vocabulary vocabulary = new Vocabulary();

    public DataGenerator(GenerationSettings settings) {
        this.settings = settings;
    }

    /**
     * Fills every table of the user's schemas (public and other non-system schemas the job created; auth.users as the
     * owner FK target), then ANALYZE.
     *
     * @param rowCounts  rows per table, keyed as users write them ("comments" or "public.comments")
     * @param statistics a real database's statistics per "schema.table", reproduced where given
     * @throws SandboxLostException only when the sandbox database itself went away
     */
    public GenerationReport fill(SandboxDatabase db, Map<String, Long> rowCounts, Map<String, TableStatistics> statistics) {
        long started = System.nanoTime();
        List<String> notes = new ArrayList<>();
        ScriptResult setup = db.apply("set synchronous_commit to off;\ncreate schema if not exists " + KeyRanks.SCHEMA);
        if (!setup.ok()) {
            if (SandboxLostException.isLost(setup.error())) {
                throw new SandboxLostException("preparing", setup.error());
            }
            notes.add("The helper schema " + KeyRanks.SCHEMA + " could not be created (" + setup.error().describe()
                      + "): foreign keys cannot be filled.");
        }
        Map<String, Long> counts = rowCounts == null ? Map.of() : rowCounts;
        Map<String, TableStatistics> stats = statistics == null ? Map.of() : statistics;
        List<CatalogTable> tables = withoutUnusedAuthUsers(catalog.read(db), counts);
        FillOrder order = FillOrder.of(tables);
        notes.addAll(order.notes());
        RowTargets targets = RowTargets.of(order, counts, stats, settings);
        notes.addAll(targets.notes());
        KeyRanks ranks = new KeyRanks();
        TableFiller filler = new TableFiller(new ValueExpressions(vocabulary, settings.seed()), ranks, settings);
        Map<String, CatalogTable> byName = tables.stream().collect(Collectors.toMap(CatalogTable::qualified, t -> t));
        int index = 0;
        for (CatalogTable t : order.tables()) {
            long tableStarted = System.nanoTime();
            long inserted = filler.fill(db, t, targets.rows().get(t.qualified()), order.deferred(), byName,
                    stats.get(t.qualified()), index++, notes);
            LOG.log(System.Logger.Level.INFO, () -> "filled " + t.qualified() + ": " + inserted + " rows in "
                    + (System.nanoTime() - tableStarted) / 1_000_000 + " ms");
        }
        DeferredLinks links = new DeferredLinks(ranks, settings);
        for (CatalogTable t : order.tables()) {
            for (CatalogTable.ForeignKey fk : t.foreignKeys()) {
                if (order.deferred().contains(FillOrder.key(t, fk))) {
                    long linkStarted = System.nanoTime();
                    links.link(db, t, fk, notes);
                    LOG.log(System.Logger.Level.INFO, () -> "linked " + t.qualified() + "/" + fk.name() + " in "
                            + (System.nanoTime() - linkStarted) / 1_000_000 + " ms");
                }
            }
        }
        long analyzeStarted = System.nanoTime();
        Map<String, Long> rows = new LinkedHashMap<>();
        for (CatalogTable t : order.tables()) {
            ScriptResult analyzed = db.apply("analyze " + t.sql());
            if (!analyzed.ok()) {
                TableFiller.failed(t, analyzed, notes);
            }
            rows.put(t.qualified(), TableFiller.count(db, t));
        }
        LOG.log(System.Logger.Level.INFO, () -> "analyzed and counted " + rows.size() + " tables in "
                + (System.nanoTime() - analyzeStarted) / 1_000_000 + " ms");
        ScriptResult dropped = db.apply("drop schema if exists " + KeyRanks.SCHEMA + " cascade");
        if (!dropped.ok()) {
            notes.add("The helper schema " + KeyRanks.SCHEMA + " was left behind: " + dropped.error().describe());
        }
        return new GenerationReport(rows, targets.scale(), (System.nanoTime() - started) / 1_000_000, notes);
    }

    /** auth.users is filled only when a table refers to it or a count asks for it. */
    private static List<CatalogTable> withoutUnusedAuthUsers(List<CatalogTable> tables, Map<String, Long> counts) {
        boolean wanted = counts.containsKey(RowTargets.AUTH_USERS) || tables.stream()
                .anyMatch(t -> t.foreignKeys().stream().anyMatch(fk -> fk.parent().equals(RowTargets.AUTH_USERS)));
        return wanted ? tables : tables.stream().filter(t -> !t.qualified().equals(RowTargets.AUTH_USERS)).toList();
    }
}
