package dev.backendteam.dbarchitect.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.dbarchitect.realtime.RealtimePlan.Access;
import dev.backendteam.dbarchitect.realtime.RealtimePlan.Channel;
import dev.backendteam.dbarchitect.realtime.RealtimePlan.Hop;
import dev.backendteam.dbarchitect.realtime.RealtimePlan.Published;
import dev.backendteam.dbarchitect.realtime.RealtimePlan.Scope;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the spec's {@code realtime} section, or else the task's words, into a {@link RealtimePlan} against the
 * job's schema as the sandbox has it. Deterministic: the same inputs and schema give the same plan (the validation
 * round derives it again). Words are read only where they are unambiguous ("presence per project": a
 * {@code project:<id>} channel with presence and broadcast, joined by the project's tenant members); otherwise the
 * result is a question.
 */
public final class RealtimePlanner {
    public static final String MIGRATION = "enable_realtime";
    private static final Pattern PER = Pattern.compile("\\b(?:per|for each|for every|in each|of each|within each|by)"
            + "\\s+(?:a\\s+|an\\s+|the\\s+)?([a-z][a-z0-9_]*)");
    private static final Pattern PRESENCE = Pattern.compile("\\b(presence|online|who(?:'s| is) (?:here|online|viewing))\\b");
    private static final Pattern CHANGES = Pattern.compile("\\b(changes?|updates|inserts|deletes|new rows|postgres changes"
            + "|as (?:they|it) change)\\b");
    private static final Pattern WORD = Pattern.compile("[a-z][a-z0-9_]*");
    /** A topic prefix or a broadcast event: what the domain spec's schema allows (realtimeChannel). */
    static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_-]*$");

    /** A problem with the section (its JSON Pointer), or why the words cannot be read. */
    public record Problem(String path, String message) {
    }

    /** Exactly one of: a plan, problems (an invalid section), a question (words that do not say enough). */
    public record Result(RealtimePlan plan, List<Problem> problems, String question) {
        static Result of(RealtimePlan plan) {
            return new Result(plan, List.of(), null);
        }

        static Result invalid(List<Problem> problems) {
            return new Result(null, List.copyOf(problems), null);
        }

        static Result ask(String question) {
            return new Result(null, List.of(), question);
        }
    }

    private RealtimePlanner() {
    }

    public static Result plan(JsonNode section, String words, SchemaGraph graph, Set<String> published) {
        if (section != null && !section.isMissingNode() && !section.isNull()) {
            return fromSection(section, graph, published);
        }
        return fromWords(words == null ? "" : words, graph, published);
    }

    // ---- the spec's realtime section ----

    private static Result fromSection(JsonNode section, SchemaGraph graph, Set<String> published) {
        List<Problem> problems = new ArrayList<>();
        List<Published> tables = new ArrayList<>();
        List<Channel> channels = new ArrayList<>();
        List<String> assumptions = new ArrayList<>();
        Set<String> seenTables = new LinkedHashSet<>();
        int i = 0;
        for (JsonNode t : section.path("tables")) {
            String path = "/realtime/tables/" + i++;
            String name = t.path("name").asText();
            Optional<SchemaGraph.Table> table = graph.table(name);
            if (table.isEmpty()) {
                problems.add(new Problem(path + "/name", "no table " + name + " in the job's schema (public)"));
                continue;
            }
            if (!seenTables.add(name)) {
                problems.add(new Problem(path + "/name", "table " + name + " is listed twice"));
                continue;
            }
            String filter = t.hasNonNull("filter") ? t.path("filter").asText() : null;
            if (filter != null && table.get().column(filter).isEmpty()) {
                problems.add(new Problem(path + "/filter", "table " + name + " has no column " + filter));
                continue;
            }
            List<String> events = new ArrayList<>();
            t.path("events").forEach(e -> events.add(e.asText()));
            if (events.isEmpty()) {
                events.add("*");
            }
            if (published.contains(table.get().qualified())) {
                assumptions.add(table.get().qualified() + " is already in supabase_realtime: left as it is");
                continue;
            }
            tables.add(published(table.get(), filter, events));
        }
        Set<String> prefixes = new LinkedHashSet<>();
        i = 0;
        for (JsonNode c : section.path("channels")) {
            String path = "/realtime/channels/" + i++;
            String scopeName = c.path("scope").asText();
            Optional<SchemaGraph.Table> scope = graph.table(scopeName);
            if (scope.isEmpty()) {
                problems.add(new Problem(path + "/scope", "no table " + scopeName + " in the job's schema (public)"));
                continue;
            }
            String prefix = c.hasNonNull("topic") ? c.path("topic").asText() : scopeName;
            if (!NAME.matcher(prefix).matches()) {
                // the prefix is the topic up to its colon, a file name and a TypeScript literal: a colon, a slash or
                // a quote in it would move the key, leave supabase/realtime/ or end the literal
                problems.add(new Problem(path + "/topic", "topic " + prefix + " must be a lower-case prefix (a letter,"
                        + " then letters, digits, _ or -) without the `:<id>`"));
                continue;
            }
            if (!prefixes.add(prefix)) {
                problems.add(new Problem(path + "/topic", "two channels use the topic prefix " + prefix));
                continue;
            }
            boolean broadcast = c.path("broadcast").asBoolean(true);
            boolean presence = c.path("presence").asBoolean(false);
            if (!broadcast && !presence) {
                problems.add(new Problem(path, "a channel needs broadcast or presence (or both)"));
                continue;
            }
            List<String> events = new ArrayList<>();
            c.path("events").forEach(e -> events.add(e.asText()));
            List<String> badEvents = events.stream().filter(e -> !NAME.matcher(e).matches()).toList();
            if (!badEvents.isEmpty()) {
                problems.add(new Problem(path + "/events", "event " + badEvents.get(0) + " must be a lower-case name"
                        + " (a letter, then letters, digits, _ or -)"));
                continue;
            }
            Resolution r = resolve(scope.get(), graph);
            Access join = c.hasNonNull("join") ? Access.of(c.path("join").asText()) : r.defaultAccess();
            if (join == null) {
                problems.add(new Problem(path + "/join", "say who may join: " + scopeName + " has no tenancy"
                        + " (no membership table reaches it) and no owner column; use join: authenticated"));
                continue;
            }
            Access send = c.hasNonNull("send") ? Access.of(c.path("send").asText()) : join;
            String trouble = r.trouble(join, "join");
            if (trouble == null) {
                trouble = r.trouble(send, "send");
            }
            if (trouble != null) {
                problems.add(new Problem(path, trouble));
                continue;
            }
            channels.add(new Channel(prefix, r.scope(), broadcast, presence,
                    events.isEmpty() ? List.of("message") : events, join, send));
        }
        if (tables.isEmpty() && channels.isEmpty() && problems.isEmpty() && assumptions.isEmpty()) {
            problems.add(new Problem("/realtime", "the realtime section names no table and no channel"));
        }
        if (!problems.isEmpty()) {
            return Result.invalid(problems);
        }
        return Result.of(new RealtimePlan(MIGRATION, tables, channels, assumptions));
    }

    // ---- the task's words ----

    private static Result fromWords(String text, SchemaGraph graph, Set<String> published) {
        String words = text.toLowerCase(Locale.ROOT);
        String example = " Or send a `realtime` section in the spec, e.g. realtime: { channels: [ { scope: project,"
                + " presence: true, events: [cursor] } ], tables: [ { name: task, filter: project_id } ] }.";
        Matcher per = PER.matcher(words);
        SchemaGraph.Table scope = null;
        Set<String> scopes = new LinkedHashSet<>();
        String prefix = null;
        while (per.find()) {
            Optional<SchemaGraph.Table> t = graph.named(per.group(1));
            if (t.isPresent() && scopes.add(t.get().name()) && prefix == null) {
                prefix = per.group(1); // the task's word: "per project" gives project:<id> for a table projects
            }
        }
        if (scopes.size() > 1) {
            return Result.ask("The task names several scopes for a channel (" + String.join(", ", scopes) + "): which"
                    + " one is a channel's topic (e.g. `" + scopes.iterator().next() + ":<id>`)?" + example);
        }
        if (scopes.size() == 1) {
            scope = graph.table(scopes.iterator().next()).orElseThrow();
        }
        boolean changes = CHANGES.matcher(words).find();
        List<String> assumptions = new ArrayList<>();
        List<Published> tables = new ArrayList<>();
        if (changes) {
            Matcher w = WORD.matcher(words);
            Set<String> named = new LinkedHashSet<>();
            while (w.find()) {
                graph.named(w.group()).ifPresent(t -> named.add(t.name()));
            }
            for (String name : named) {
                SchemaGraph.Table t = graph.table(name).orElseThrow();
                if (scope != null && t.name().equals(scope.name())) {
                    continue;
                }
                String filter = null;
                if (scope != null) {
                    List<SchemaGraph.ForeignKey> toScope = t.to(scope.qualified());
                    filter = toScope.size() == 1 ? toScope.get(0).column() : null;
                }
                if (published.contains(t.qualified())) {
                    assumptions.add(t.qualified() + " is already in supabase_realtime: left as it is");
                    continue;
                }
                tables.add(published(t, filter, List.of("*")));
                assumptions.add("the task asks for changes of " + t.name() + ": published, every event"
                        + (filter == null ? ", unfiltered" : ", clients filter " + filter + "=eq.<" + scope.name()
                        + " id>"));
            }
        }
        List<Channel> channels = new ArrayList<>();
        if (scope != null) {
            Resolution r = resolve(scope, graph);
            Access join = r.defaultAccess();
            if (join == null) {
                return Result.ask("Who may join a " + scope.name() + ":<id> channel? " + scope.name() + " has no"
                        + " tenancy (no membership table reaches it) and no owner column: members, the owner or any"
                        + " signed-in user?" + example);
            }
            String trouble = r.trouble(join, "join");
            if (trouble != null) {
                return Result.ask(trouble + "." + example);
            }
            boolean presence = PRESENCE.matcher(words).find();
            List<String> events = new ArrayList<>();
            if (words.contains("cursor")) {
                events.add("cursor");
            }
            if (words.contains("typing")) {
                events.add("typing");
            }
            if (events.isEmpty()) {
                events.add("message");
            }
            channels.add(new Channel(prefix, r.scope(), true, presence, events, join, join));
            assumptions.add("a private channel per " + scope.name() + " (topic " + prefix + ":<"
                    + r.scope().key() + ">) with broadcast (" + String.join(", ", events) + ")"
                    + (presence ? " and presence" : "") + "; join and send: " + join.words()
                    + (r.scope().tenancy() ? " (" + r.scope().membership() + ")" : ""));
        }
        if (channels.isEmpty() && tables.isEmpty()) {
            return Result.ask("Which realtime setup does the task need? Name the scope of a channel (\"presence per"
                    + " project\") or the tables whose changes clients follow (\"task changes per project\")."
                    + example);
        }
        return Result.of(new RealtimePlan(MIGRATION, tables, channels, assumptions));
    }

    // ---- shared ----

    /**
     * Replica identity full only where a filter needs the old row: Realtime matches a DELETE against the filter on the
     * old row, which carries only the key unless the identity is full.
     */
    private static Published published(SchemaGraph.Table t, String filter, List<String> events) {
        boolean deletes = events.contains("*") || events.contains("DELETE");
        boolean keyFilter = filter != null && t.column(filter).map(SchemaGraph.Column::inKey).orElse(false);
        boolean full = filter != null && deletes && !keyFilter && !"f".equals(t.replicaIdentity());
        String reason = full ? "clients filter " + filter + " and receive DELETE events; a delete carries only the key"
                + " of the old row unless the replica identity is full, so the filter could never match it (costs WAL:"
                + " every update and delete logs the whole old row)"
                : filter == null ? "no filter: every row change reaches every subscriber the table's RLS lets see it"
                : deletes ? (keyFilter ? "the filter is on the key, which a delete carries"
                : "the replica identity is already full") : "no DELETE events: the new row carries " + filter;
        return new Published(t.name(), filter, List.copyOf(events), full, t.replicaIdentity(), reason);
    }

    /** How a scope table reaches a membership table or an owner; the problems that rule out an access. */
    private record Resolution(Scope scope, String noTenancy, String noOwner) {
        Access defaultAccess() {
            if (scope.tenancy()) {
                return Access.MEMBER;
            }
            return scope.ownerColumn() != null ? Access.OWNER : null;
        }

        String trouble(Access a, String what) {
            if (scope.key() == null) {
                return what + ": " + scope.table() + " has no single-column primary key to put in a topic";
            }
            if (a == Access.MEMBER && !scope.tenancy()) {
                return what + ": member needs a tenancy, and " + noTenancy;
            }
            if (a == Access.OWNER && scope.ownerColumn() == null) {
                return what + ": owner needs an owner column, and " + noOwner;
            }
            return null;
        }
    }

    private static Resolution resolve(SchemaGraph.Table scope, SchemaGraph graph) {
        List<String> key = scope.key();
        String keyColumn = key.size() == 1 ? key.get(0) : null;
        String keyType = keyColumn == null ? null : scope.column(keyColumn).orElseThrow().type();
        List<SchemaGraph.ForeignKey> owners = scope.to(SchemaGraph.AUTH_USERS);
        String owner = owners.size() == 1 ? owners.get(0).column()
                : owners.stream().map(SchemaGraph.ForeignKey::column).filter(c -> c.equals("user_id")).findFirst()
                .orElse(null);
        String noOwner = scope.name() + " has " + (owners.isEmpty() ? "no column referencing auth.users"
                : "several columns referencing auth.users and none is user_id");
        if (keyColumn == null) {
            return new Resolution(new Scope(scope.name(), null, null, List.of(), null, null, null, null, owner, null),
                    scope.name() + " has no single-column primary key to put in a topic", noOwner);
        }
        // the scope itself, then one and two foreign-key steps up: the nearest tenant with one membership table
        List<List<Hop>> paths = new ArrayList<>();
        paths.add(List.of());
        for (SchemaGraph.ForeignKey fk : scope.foreignKeys()) {
            if (fk.refTable().startsWith("public.")) {
                Hop first = new Hop(scope.name(), fk.column(), bare(fk.refTable()), fk.refColumn());
                paths.add(List.of(first));
            }
        }
        int firstLevel = paths.size();
        for (int p = 1; p < firstLevel; p++) {
            Hop first = paths.get(p).get(0);
            graph.table(first.to()).ifPresent(parent -> {
                for (SchemaGraph.ForeignKey fk : parent.foreignKeys()) {
                    if (fk.refTable().startsWith("public.") && !bare(fk.refTable()).equals(scope.name())) {
                        paths.add(List.of(first, new Hop(parent.name(), fk.column(), bare(fk.refTable()),
                                fk.refColumn())));
                    }
                }
            });
        }
        for (int depth = 0; depth <= 2; depth++) {
            List<Scope> found = new ArrayList<>();
            List<String> ambiguous = new ArrayList<>();
            for (List<Hop> path : paths) {
                if (path.size() != depth) {
                    continue;
                }
                String tenant = depth == 0 ? scope.name() : path.get(depth - 1).to();
                List<SchemaGraph.Table> memberships = graph.memberships("public." + tenant);
                if (memberships.size() == 1) {
                    SchemaGraph.Table m = memberships.get(0);
                    found.add(new Scope(scope.name(), keyColumn, keyType, path, tenant, m.name(),
                            m.to("public." + tenant).get(0).column(), m.to(SchemaGraph.AUTH_USERS).get(0).column(),
                            owner, m.to("public." + tenant).get(0).refColumn()));
                } else if (memberships.size() > 1) {
                    ambiguous.add(tenant + " (" + String.join(", ", memberships.stream().map(SchemaGraph.Table::name)
                            .toList()) + ")");
                }
            }
            if (found.size() == 1 && ambiguous.isEmpty()) {
                return new Resolution(found.get(0), null, noOwner);
            }
            if (found.size() + ambiguous.size() > 1 || !ambiguous.isEmpty()) {
                List<String> all = new ArrayList<>(found.stream().map(s -> s.tenant() + " (" + s.membership() + ")")
                        .toList());
                all.addAll(ambiguous);
                return new Resolution(new Scope(scope.name(), keyColumn, keyType, List.of(), null, null, null, null,
                        owner, null), scope.name() + " reaches more than one tenancy: " + String.join(", ", all), noOwner);
            }
        }
        return new Resolution(new Scope(scope.name(), keyColumn, keyType, List.of(), null, null, null, null, owner,
                null), "no membership table (unique on a tenant and a user of auth.users) reaches " + scope.name()
                        + " within two foreign keys", noOwner);
    }

    private static String bare(String qualified) {
        return qualified.startsWith("public.") ? qualified.substring("public.".length()) : qualified;
    }
}
