package dev.backendteam.queryoptimizer.engine;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.Specialist;
import dev.backendteam.queryoptimizer.advisor.IndexAdvisor;
import dev.backendteam.queryoptimizer.advisor.IndexCatalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The migrations of an index set: each index alone in its migration, built {@code concurrently} (so outside a
 * transaction), with a header saying which queries it serves at what cost; pg_trgm first when a trigram index needs
 * it; an earlier step's index the new one makes redundant dropped right after it. The header's {@code cost a → b}
 * figures are the claim the validation round checks.
 */
final class IndexMigrations {
    static final Pattern CLAIM = Pattern.compile("-- serves \"((?:[^\"\\n]|\"\")*)\": planned cost ([0-9.]+) → ([0-9.]+)");
    private static final Pattern CREATE_INDEX = Pattern.compile("(?i)create\\s+(?:unique\\s+)?index\\s+"
            + "(?:concurrently\\s+)?(?:if\\s+not\\s+exists\\s+)?(?:\"?[a-z_][a-z0-9_]*\"?\\.)?\"?([a-z_][a-z0-9_$]*)\"?");
    private static final String PREAMBLE = """
            -- Built concurrently: it runs outside a transaction and does not block writes. If it fails (a lock_timeout
            -- waiting for old transactions, a duplicate), PostgreSQL leaves an INVALID index: run the down script and
            -- retry.
            set lock_timeout = '5s';
            set statement_timeout = '0';
            """;

    private IndexMigrations() {
    }

    static List<Artifact> of(IndexAdvisor.Advice advice, String provenOn) {
        List<Artifact> out = new ArrayList<>();
        List<IndexAdvisor.Chosen> kept = advice.indexes().stream().filter(IndexAdvisor.Chosen::kept).toList();
        if (kept.stream().anyMatch(c -> c.candidate().opclass() != null
                && c.candidate().opclass().startsWith("extensions."))) {
            out.add(Artifact.migration("create_extension_pg_trgm",
                    "-- Trigram operators for the GIN index that serves LIKE/ILIKE patterns.\n"
                            + "create extension if not exists pg_trgm with schema extensions;\n",
                    "-- pg_trgm stays installed: other objects may use its operators.\nselect 1;\n",
                    Specialist.QUERY_OPTIMIZER));
        }
        for (IndexAdvisor.Chosen c : kept) {
            StringBuilder up = new StringBuilder("-- ").append(c.name()).append(", proven on ").append(provenOn)
                    .append(":\n");
            for (IndexAdvisor.QueryResult r : advice.queries()) {
                if (c.serves().contains(r.query().name())) {
                    up.append(String.format(Locale.ROOT, "-- serves \"%s\": planned cost %.2f → %.2f%n",
                            r.query().name().replaceAll("[\\r\\n]+", " ").replace("\"", "\"\""),
                            r.genericBefore().totalCost(), r.genericAfter().totalCost()));
                }
            }
            up.append(PREAMBLE).append("create index concurrently if not exists ").append(c.name()).append(' ')
                    .append(c.candidate().definition()).append(";\n");
            String table = c.candidate().qualifiedTable();
            String schema = table.substring(0, table.indexOf('.'));
            out.add(Artifact.migration("create_" + c.name(), up.toString(),
                    "drop index concurrently if exists " + schema + "." + c.name() + ";\n", Specialist.QUERY_OPTIMIZER));
            for (IndexCatalog.Existing e : c.replaces()) {
                out.add(Artifact.migration("drop_" + e.name(), "-- " + e.name() + " is a prefix of " + c.name()
                        + ", which serves every query it served: keeping both only costs writes and space.\n"
                        + "set lock_timeout = '5s';\nset statement_timeout = '0';\n"
                        + "drop index concurrently if exists " + e.qualifiedName() + ";\n",
                        "create index concurrently if not exists " + e.name() + " " + e.shape().definition() + ";\n",
                        Specialist.QUERY_OPTIMIZER));
            }
        }
        return out;
    }

    /** The query name of a claim, as {@link #CLAIM} matched it. */
    static String claimed(Matcher m) {
        return m.group(1).replace("\"\"", "\"");
    }

    /** Names of the indexes a script creates. */
    static List<String> created(String sql) {
        List<String> names = new ArrayList<>();
        Matcher m = CREATE_INDEX.matcher(sql == null ? "" : sql);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
