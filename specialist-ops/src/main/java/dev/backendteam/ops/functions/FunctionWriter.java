package dev.backendteam.ops.functions;

import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Severity;
import dev.backendteam.ops.deployment.render.Template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Renders the functions in the Supabase CLI layout from the templates under {@code functions/templates/}: the shared
 * modules, one {@code index.ts} each, {@code deno.json} with its lock file, the {@code config.toml} entries, an
 * {@code .env.example} naming (never valuing) each secret, and a README with the secrets and schedules to set up.
 * Rows a webhook writes are built from the table's {@code database.types.ts} columns; a required column no event
 * value fills is a problem for the user, never a guess.
 */
public final class FunctionWriter {
    static final String TEMPLATES = FunctionCatalogue.DIR + "templates/";
    public static final String ROOT = "supabase/functions/";
    public static final String CONFIG = "supabase/config.toml";
    static final String TYPES = ROOT + "_shared/database.types.ts";

    public record Result(Map<String, String> files, List<Finding> findings, List<String> problems,
            Map<String, List<String>> secrets) {
    }

    private final FunctionCatalogue catalogue;

    public FunctionWriter(FunctionCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    /**
     * {@code databaseTypes}: the bundle's {@code database.types.ts} (null without one); {@code uniques}: per table,
     * the columns the spec declares unique (an event id among them makes the write idempotent).
     */
    public Result write(List<EdgeFunction> functions, String databaseTypes, Map<String, Set<String>> uniques) {
        Map<String, List<TableColumns.Column>> tables = databaseTypes == null ? Map.of()
                : TableColumns.parse(databaseTypes);
        Map<String, String> files = new LinkedHashMap<>();
        List<Finding> findings = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, List<String>> secrets = new LinkedHashMap<>();
        boolean typed = databaseTypes != null;
        String generic = typed ? "<Database>" : "";
        boolean anyHttp = functions.stream().anyMatch(f -> f.kind() == EdgeFunction.Kind.HTTP);
        boolean anyService = functions.stream().anyMatch(f -> f.kind() != EdgeFunction.Kind.HTTP
                && (!f.writes().isEmpty() || !f.reads().isEmpty()));
        Set<String> emails = functions.stream().map(EdgeFunction::email).filter(e -> e != null)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        if (emails.size() > 1) {
            problems.add("the functions call more than one email API " + emails + "; use one");
        }
        for (EdgeFunction f : functions) {
            if (!typed && (!f.writes().isEmpty() || !f.reads().isEmpty())) {
                problems.add(f.name() + " uses " + concat(f.writes(), f.reads()) + " but the bundle has no"
                        + " database.types.ts to know their columns: run it after db-architect (the new-feature flow),"
                        + " or give the output of `supabase gen types typescript` as a file named database.types.ts");
            }
        }
        if (!problems.isEmpty()) {
            return new Result(Map.of(), findings, problems, secrets);
        }

        files.put(ROOT + "deno.json", Template.text(TEMPLATES, "deno.json"));
        files.put(ROOT + "deno.lock", Template.text(TEMPLATES, "deno.lock"));
        files.put(ROOT + "_shared/errors.ts", Template.text(TEMPLATES, "_shared/errors.ts"));
        files.put(ROOT + "_shared/validate.ts", Template.text(TEMPLATES, "_shared/validate.ts"));
        if (anyHttp) {
            files.put(ROOT + "_shared/cors.ts", Template.text(TEMPLATES, "_shared/cors.ts"));
        }
        if (anyHttp || anyService) {
            StringBuilder clients = new StringBuilder();
            if (anyHttp) {
                clients.append(Template.fill(TEMPLATES, "parts/user-client.ts", Map.of("generic", generic)));
            }
            if (anyService) {
                clients.append(Template.fill(TEMPLATES, "parts/service-client.ts", Map.of("generic", generic)));
            }
            files.put(ROOT + "_shared/supabase.ts", Template.fill(TEMPLATES, "_shared/supabase.ts", Map.of(
                    "clientsDoc", anyHttp && anyService ? "userClient acts as the caller (row level security"
                            + " applies); serviceClient bypasses it, for verified server-to-server callers only."
                            : anyHttp ? "userClient acts as the caller: row level security applies."
                            : "serviceClient bypasses row level security, for verified server-to-server callers only.",
                    "databaseImport", typed ? "import type { Database } from \"./database.types.ts\";\n" : "",
                    "errorsImport", anyHttp ? "import { HttpError } from \"./errors.ts\";\n" : "",
                    "clients", clients.toString())));
        }
        if (functions.stream().anyMatch(f -> f.kind() != EdgeFunction.Kind.HTTP)) {
            files.put(ROOT + "_shared/signatures.ts", Template.text(TEMPLATES, "_shared/signatures.ts"));
        }
        if (emails.size() == 1) {
            FunctionCatalogue.EmailApi api = catalogue.email().get(emails.iterator().next());
            files.put(ROOT + "_shared/email.ts", Template.fill(TEMPLATES, "_shared/email.ts", Map.of("providerName",
                    api.title(), "url", api.url(), "headers", api.headers(), "body", api.body())));
        }
        if (typed) {
            files.put(TYPES, databaseTypes);
        }
        for (EdgeFunction f : functions) {
            List<String> needs = new ArrayList<>(List.of("SUPABASE_URL"));
            String code = switch (f.kind()) {
                case WEBHOOK -> webhook(f, tables, uniques, needs, findings, problems);
                case SCHEDULED -> scheduled(f, tables, needs);
                case HTTP -> http(f, needs);
            };
            if (f.email() != null) {
                FunctionCatalogue.EmailApi api = catalogue.email().get(f.email());
                needs.addAll(List.of(api.secret(), "EMAIL_FROM", "DIGEST_TO"));
            }
            needs.addAll(f.secrets());
            secrets.put(f.name(), List.copyOf(new LinkedHashSet<>(needs)));
            ignored(f, findings);
            files.put(f.entrypoint(), code);
        }
        if (!problems.isEmpty()) {
            return new Result(Map.of(), findings, problems, secrets);
        }
        files.put(CONFIG, config(functions));
        files.put(ROOT + ".env.example", envExample(secrets));
        files.put(ROOT + "README.md", readme(functions, secrets));
        for (Map.Entry<String, List<String>> e : secrets.entrySet()) {
            List<String> own = e.getValue().stream().filter(s -> !s.startsWith("SUPABASE_")).toList();
            if (!own.isEmpty()) {
                findings.add(new Finding("functions.secrets", Severity.INFO, e.getKey(), e.getKey() + " reads "
                        + String.join(", ", own) + " from the environment (SUPABASE_URL and the keys are set by the"
                        + " platform)", "supabase secrets set " + own.stream().map(s -> s + "=…")
                        .collect(Collectors.joining(" ")) + " (values from the provider's dashboard; never commit them)",
                        null));
            }
        }
        return new Result(files, findings, problems, secrets);
    }

    private String webhook(EdgeFunction f, Map<String, List<TableColumns.Column>> tables,
            Map<String, Set<String>> uniques, List<String> needs, List<Finding> findings, List<String> problems) {
        FunctionCatalogue.Webhook w = catalogue.webhooks().get(f.provider());
        String secret = f.provider().equals("hmac") ? f.name().toUpperCase(java.util.Locale.ROOT).replace('-', '_')
                + "_SECRET" : w.secret();
        needs.add(secret);
        StringBuilder handle = new StringBuilder();
        Set<String> helpers = new LinkedHashSet<>(List.of("parseJson", "requireEnv"));
        if (!w.context().isEmpty()) {
            handle.append(w.context()).append('\n');
        }
        if (f.writes().isEmpty()) {
            handle.append("    // The event is verified and valid; nothing is stored (the spec names no table to write).\n")
                    .append("    return Response.json({ received: true });");
        } else {
            needs.add("SUPABASE_SERVICE_ROLE_KEY");
            List<String> rowFields = new ArrayList<>();
            for (String table : f.writes()) {
                StringBuilder row = new StringBuilder();
                for (TableColumns.Column c : tables.getOrDefault(table, List.of())) {
                    FunctionCatalogue.ColumnValue v = w.columns().stream()
                            .filter(cv -> cv.names().contains(c.name()) && cv.ts().equals(c.ts())).findFirst()
                            .orElse(null);
                    // user_id defaults to auth.uid(), which is null for the service role: the row must carry it
                    boolean required = c.required() || c.name().equals("user_id") && !c.ts().contains("null");
                    if (v == null) {
                        if (required) {
                            problems.add(f.name() + " writes " + table + "." + c.name() + " (" + c.ts() + ", required)"
                                    + " but no " + w.title() + " event value fills it: make it nullable or give it a"
                                    + " default, or name it as one of the values the event carries (see README)");
                        }
                        continue;
                    }
                    if (v.expr().contains("text(")) {
                        helpers.add("text");
                    }
                    if (v.expr().contains("num(")) {
                        helpers.add("num");
                    }
                    String value = v.expr();
                    if (v.nullable() && required) {
                        String local = "required_" + c.name();
                        handle.append("    const ").append(local).append(" = ").append(v.expr()).append(";\n")
                                .append("    if (").append(local).append(" === null) {\n")
                                .append("      return Response.json({ received: true, recorded: false, reason: \"the")
                                .append(" event has no ").append(c.name()).append("\" });\n    }\n");
                        value = local;
                    }
                    row.append("      ").append(c.name()).append(": ").append(value).append(",\n");
                }
                String key = w.eventId().stream().filter(id -> uniques.getOrDefault(table, Set.of()).contains(id)
                        && tables.getOrDefault(table, List.of()).stream().anyMatch(c -> c.name().equals(id)))
                        .findFirst().orElse(null);
                if (key == null) {
                    findings.add(new Finding("functions.webhook-not-idempotent", Severity.WARN, f.name(), w.title()
                            + " redelivers an event until it gets a 2xx: without a unique event id in " + table
                            + " a redelivery inserts the event twice", "Give " + table + " a unique column for the"
                            + " event id (" + String.join(" or ", w.eventId()) + ", `unique: true` in the spec): the"
                            + " function then upserts on it, ignoring duplicates.", null));
                }
                String call = key == null ? ".insert(" + "row_" + table + ")"
                        : ".upsert(row_" + table + ", { onConflict: \"" + key + "\", ignoreDuplicates: true })";
                handle.append("    const row_").append(table).append(" = {\n").append(row).append("    };\n");
                rowFields.add("    {\n      const { error } = await db.from(\"" + table + "\")" + call + ";\n"
                        + dbError("      ", table) + "    }\n");
            }
            handle.append("    const db = serviceClient();\n");
            rowFields.forEach(handle::append);
            handle.append("    return Response.json({ received: true, recorded: true });");
        }
        return Template.fill(TEMPLATES, "webhook.ts", Map.of("name", f.name(), "purpose", purpose(f),
                "provider", w.title(), "validateImports", String.join(", ", helpers),
                "clientImport", f.writes().isEmpty() ? "" : "import { serviceClient } from \"../_shared/supabase.ts\";\n",
                "verifier", w.verifier(), "eventSchema", w.schema(), "signatureHeader", w.header(), "secret", secret,
                "handle", handle.toString()));
    }

    private String scheduled(EdgeFunction f, Map<String, List<TableColumns.Column>> tables, List<String> needs) {
        needs.add("CRON_SECRET");
        StringBuilder imports = new StringBuilder();
        StringBuilder work = new StringBuilder();
        String table = f.reads().isEmpty() ? null : f.reads().get(0);
        if (table != null) {
            needs.add("SUPABASE_SERVICE_ROLE_KEY");
            imports.append("import { serviceClient } from \"../_shared/supabase.ts\";\n");
            boolean created = tables.getOrDefault(table, List.of()).stream().anyMatch(c -> c.name().equals("created_at"));
            work.append("    const since = new Date(Date.now() - 24 * 60 * 60 * 1000).toISOString();\n")
                    .append("    const { data, error } = await serviceClient().from(\"").append(table).append("\")")
                    .append(".select(\"*\")").append(created ? ".gte(\"created_at\", since)"
                            + ".order(\"created_at\", { ascending: false })" : "").append(".limit(100);\n")
                    .append(dbError("    ", table))
                    .append("    const rows = data ?? [];\n");
        } else {
            work.append("    const since = new Date(Date.now() - 24 * 60 * 60 * 1000).toISOString();\n")
                    .append("    const rows: unknown[] = [];\n");
        }
        if (f.email() != null) {
            imports.append("import { sendEmail } from \"../_shared/email.ts\";\n");
            work.append("    await sendEmail({\n      to: requireEnv(\"DIGEST_TO\"),\n      subject: `")
                    .append(table == null ? f.name() : table).append(": ${rows.length} new since ${since}`,\n")
                    .append("      text: rows.map((r) => JSON.stringify(r)).join(\"\\n\") || \"Nothing new.\",\n")
                    .append("    });\n");
        }
        work.append("    return Response.json({ ok: true, rows: rows.length, since });");
        return Template.fill(TEMPLATES, "scheduled.ts", Map.of("name", f.name(), "purpose", purpose(f), "schedule",
                f.schedule(), "imports", imports.toString(), "work", work.toString()));
    }

    private String http(EdgeFunction f, List<String> needs) {
        needs.add("SUPABASE_ANON_KEY");
        needs.add("ALLOWED_ORIGIN");
        String work;
        if (!f.reads().isEmpty()) {
            work = "    const { data, error } = await supabase.from(\"" + f.reads().get(0) + "\").select(\"*\")"
                    + ".limit(input.limit);\n"
                    + dbError("    ", f.reads().get(0))
                    + "    return Response.json({ rows: data }, { headers: corsHeaders() });";
        } else {
            work = "    const { data, error } = await supabase.auth.getUser();\n"
                    + "    if (error !== null || data.user === null) {\n"
                    + "      throw new HttpError(401, \"unauthorized\", \"the JWT is not a signed-in user\");\n"
                    + "    }\n"
                    + "    return Response.json({ user: data.user.id, limit: input.limit }, { headers: corsHeaders() });";
        }
        return Template.fill(TEMPLATES, "http.ts", Map.of("name", f.name(), "purpose", purpose(f), "work", work));
    }

    /** What the spec asks that this kind of function does not do, said rather than dropped silently. */
    private static void ignored(EdgeFunction f, List<Finding> findings) {
        List<String> unused = new ArrayList<>();
        if (f.kind() != EdgeFunction.Kind.WEBHOOK && !f.writes().isEmpty()) {
            unused.add("writes " + f.writes() + " (only webhooks write; a " + f.kind().wire() + " function reads)");
        }
        if (f.kind() == EdgeFunction.Kind.WEBHOOK && !f.reads().isEmpty()) {
            unused.add("reads " + f.reads() + " (a webhook records its events, it reads nothing)");
        }
        if (f.reads().size() > 1) {
            unused.add("reads beyond the first table " + f.reads().subList(1, f.reads().size()));
        }
        if (f.provider() != null && f.kind() != EdgeFunction.Kind.WEBHOOK) {
            unused.add("provider " + f.provider() + " (webhooks only)");
        }
        if (f.email() != null && f.kind() != EdgeFunction.Kind.SCHEDULED) {
            unused.add("email " + f.email() + " (scheduled functions only)");
        }
        if (!unused.isEmpty()) {
            findings.add(new Finding("functions.not-generated", Severity.WARN, f.name(), "not generated for "
                    + f.name() + ": " + String.join("; ", unused), "Write that part of " + f.entrypoint()
                    + " yourself, or split it into a function of the kind that does it.", null));
        }
        if (!f.secrets().isEmpty()) {
            findings.add(Finding.info("functions.declared-secrets", f.name(), f.name() + " is configured with "
                    + String.join(", ", f.secrets()) + " (in .env.example and the README); the generated code does"
                    + " not read them yet: use requireEnv(\"NAME\") where your code needs one"));
        }
    }

    private static String purpose(EdgeFunction f) {
        String p = f.purpose() == null ? f.kind().wire() + " function" : f.purpose();
        return p.replaceAll("[\\r\\n]+", " ").replace("*/", "* /");
    }

    private static String config(List<EdgeFunction> functions) {
        StringBuilder toml = new StringBuilder("# Edge Functions (merge into your supabase/config.toml). Webhooks and"
                + " scheduled jobs verify their caller\n# themselves (a signature, the scheduler's secret), so the"
                + " platform's JWT check is off for them.\n");
        for (EdgeFunction f : functions) {
            toml.append("\n[functions.").append(f.name()).append("]\n")
                    .append("verify_jwt = ").append(f.kind() == EdgeFunction.Kind.HTTP).append('\n')
                    .append("import_map = \"./functions/deno.json\"\n")
                    .append("entrypoint = \"./functions/").append(f.name()).append("/index.ts\"\n");
        }
        return toml.toString();
    }

    private static String envExample(Map<String, List<String>> secrets) {
        StringBuilder env = new StringBuilder("# Names only: copy to supabase/functions/.env for `supabase functions"
                + " serve`, and set them in the project\n# with `supabase secrets set`. Never commit values.\n");
        secrets.values().stream().flatMap(List::stream).filter(s -> !s.startsWith("SUPABASE_")).distinct()
                .forEach(s -> env.append(s).append("=\n"));
        return env.toString();
    }

    private String readme(List<EdgeFunction> functions, Map<String, List<String>> secrets) {
        StringBuilder md = new StringBuilder("# Edge Functions\n\n");
        md.append("Deploy: `supabase functions deploy` (reads `supabase/config.toml`). Check locally: `deno check --config"
                + " supabase/functions/deno.json supabase/functions/*/index.ts` (imports are `npm:` specifiers pinned in `deno.json` and locked in"
                + " `deno.lock`).\n\n| function | kind | reads | writes | environment |\n|---|---|---|---|---|\n");
        for (EdgeFunction f : functions) {
            md.append("| `").append(f.name()).append("` | ").append(f.kind().wire())
                    .append(f.provider() == null ? "" : " (" + f.provider() + ")")
                    .append(f.schedule() == null ? "" : " `" + f.schedule() + "`").append(" | ")
                    .append(String.join(", ", f.reads())).append(" | ").append(String.join(", ", f.writes()))
                    .append(" | ").append(String.join(", ", secrets.get(f.name()))).append(" |\n");
        }
        Set<String> own = new LinkedHashSet<>();
        secrets.values().forEach(l -> l.stream().filter(s -> !s.startsWith("SUPABASE_")).forEach(own::add));
        md.append("\n## Secrets\n\nSUPABASE_URL, SUPABASE_ANON_KEY and SUPABASE_SERVICE_ROLE_KEY are set by the"
                + " platform. Set the others once:\n\n```sh\nsupabase secrets set ")
                .append(own.stream().map(s -> s + "=…").collect(Collectors.joining(" "))).append("\n```\n");
        for (EdgeFunction f : functions) {
            if (f.kind() == EdgeFunction.Kind.WEBHOOK) {
                md.append("\n## `").append(f.name()).append("`\n\nPoint the ")
                        .append(catalogue.webhooks().get(f.provider()).title())
                        .append(" webhook at `https://<project-ref>.supabase.co/functions/v1/").append(f.name())
                        .append("` and set its signing secret as ").append(secrets.get(f.name()).stream()
                                .filter(s -> s.endsWith("_SECRET")).findFirst().orElse("the secret"))
                        .append(". The signature (").append(catalogue.webhooks().get(f.provider()).header())
                        .append(") is checked on the raw body before parsing; a bad one gets 401.\n");
            }
            if (f.kind() == EdgeFunction.Kind.SCHEDULED) {
                md.append("\n## `").append(f.name()).append("` schedule\n\nRun once in the SQL editor (pg_cron and"
                        + " pg_net enabled under Database → Extensions), after storing the project URL and the same"
                        + " value as CRON_SECRET in Vault (`select vault.create_secret('<value>', 'project_url');`,"
                        + " `select vault.create_secret('<value>', 'cron_secret');`):\n\n```sql\nselect cron.schedule(\n"
                        + "  '").append(f.name()).append("',\n  '").append(f.schedule()).append("',\n  $$\n"
                        + "  select net.http_post(\n"
                        + "    url := (select decrypted_secret from vault.decrypted_secrets where name = 'project_url')\n"
                        + "           || '/functions/v1/").append(f.name()).append("',\n"
                        + "    headers := jsonb_build_object(\n"
                        + "      'Content-Type', 'application/json',\n"
                        + "      'x-cron-secret', (select decrypted_secret from vault.decrypted_secrets"
                        + " where name = 'cron_secret')\n"
                        + "    ),\n    body := '{}'::jsonb,\n    timeout_milliseconds := 10000\n  );\n  $$\n);\n```\n\n"
                        + "pg_cron runs in UTC. Remove it with `select cron.unschedule('").append(f.name())
                        .append("');`.\n");
            }
        }
        return md.toString();
    }

    /**
     * The database's message (which names tables, columns, constraints) goes to the function's log; the caller gets
     * the code only.
     */
    private static String dbError(String indent, String table) {
        return indent + "if (error) {\n" + indent + "  console.error(\"" + table + ":\", error.message);\n" + indent
                + "  throw new HttpError(500, \"database_error\", \"the database call failed\");\n" + indent + "}\n";
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
