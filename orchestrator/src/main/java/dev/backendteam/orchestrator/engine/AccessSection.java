package dev.backendteam.orchestrator.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backendteam.contract.Json;
import dev.backendteam.contract.access.Grantee;
import dev.backendteam.contract.access.Operation;
import dev.backendteam.contract.access.TableIntent;

import java.util.ArrayList;
import java.util.List;

/**
 * The report's {@code ## Access} section: the job's access intent as a table (grantees per table and operation,
 * where the rules come from), then what was assumed and how to correct it.
 */
final class AccessSection {
    private AccessSection() {
    }

    static String markdown(JobReport r) {
        JobReport.Access access = r.access();
        StringBuilder md = new StringBuilder("## Access\n\n");
        md.append("Who may do what to which rows (the access intent ").append(source(r, access)).append("):\n\n");
        List<String> headers = new ArrayList<>(List.of("table"));
        for (Operation op : Operation.values()) {
            headers.add(op.wire());
        }
        headers.add("from");
        MarkdownTable t = new MarkdownTable(headers);
        List<TableIntent> assumed = new ArrayList<>();
        for (TableIntent table : access.intent().tables()) {
            List<String> row = new ArrayList<>(List.of(EvidenceTables.code(ReportRenderer.oneLine(table.table()))));
            for (Operation op : Operation.values()) {
                List<Grantee> grantees = table.rule(op);
                row.add(grantees.isEmpty() ? "—" : String.join(", ", grantees.stream().map(Grantee::wire).toList()));
            }
            row.add(table.source() == null ? "" : table.source());
            t.row(row);
            if (!table.assumptions().isEmpty()) {
                assumed.add(table);
            }
        }
        md.append(t).append("\nservice_role (server-side code) has every privilege and bypasses RLS.\n\n");
        if (assumed.isEmpty()) {
            return md.toString();
        }
        md.append("Assumed — correct it by answering the job with a spec whose `access` section says otherwise, e.g. ")
                .append(EvidenceTables.code(example(assumed.get(0)))).append(" via `POST /jobs/").append(r.jobId())
                .append("/answers` (taken while the job waits for an answer, otherwise submit the job again; a spec"
                        + " sent replaces the job's, so keep its entities):\n\n");
        for (TableIntent table : assumed) {
            for (String assumption : table.assumptions()) {
                md.append("- ").append(EvidenceTables.code(ReportRenderer.oneLine(table.table()))).append(": ")
                        .append(ReportRenderer.oneLine(assumption)).append('\n');
            }
        }
        return md.append('\n').toString();
    }

    /** "stated by step 2, security" */
    private static String source(JobReport r, JobReport.Access access) {
        String service = r.steps().stream().filter(s -> s.seq() == access.step()).map(JobReport.StepReport::service)
                .findFirst().orElse("a specialist");
        return "stated by step " + access.step() + ", " + ("validate".equals(access.kind()) ? "validation by " : "")
                + service;
    }

    /** {@code {"spec":{"access":{"<table>":{"select":["anon","authenticated"]}}}}} for one assumed table. */
    private static String example(TableIntent table) {
        ObjectNode body = Json.events().createObjectNode();
        body.putObject("spec").putObject("access").putObject(table.name()).putArray("select").add("anon")
                .add("authenticated");
        return ReportRenderer.oneLine(Json.write(body));
    }
}
