package dev.backendteam.ops.functions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Severity;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which functions a task needs: the spec's {@code functions} section when it has one, else what the task's words say
 * unambiguously ("stripe webhook", "github webhook", "every day at 8" with an email API), each assumption a finding.
 */
public final class FunctionPlanner {
    public record Plan(List<EdgeFunction> functions, List<Finding> findings, List<String> problems) {
    }

    static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9]*(-[a-z0-9]+)*$");
    static final Pattern ENV = Pattern.compile("^[A-Z][A-Z0-9_]*$");
    /** Five fields of digits, names, {@code * / , -}: nothing that could end the README's SQL string literal. */
    static final Pattern CRON = Pattern.compile("^[0-9*/,A-Za-z-]+( [0-9*/,A-Za-z-]+){4}$");
    private static final Pattern DAILY = Pattern.compile(
            "\\b(?:every day|daily|each day)\\s+at\\s+(\\d{1,2})(?::(\\d{2}))?\\s*(am|pm|h)?\\b");
    private static final Pattern HOURLY = Pattern.compile("\\b(?:every hour|hourly)\\b");
    private final FunctionCatalogue catalogue;

    public FunctionPlanner(FunctionCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    /** {@code tables}: the tables the bundle's types know (empty when there are none). */
    public Plan plan(JsonNode spec, String task, Set<String> tables) {
        JsonNode section = spec == null ? null : spec.get("functions");
        if (section != null && section.isArray()) {
            return fromSpec(section, tables);
        }
        return fromWords(task == null ? "" : task, tables);
    }

    private Plan fromSpec(JsonNode section, Set<String> tables) {
        List<EdgeFunction> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < section.size(); i++) {
            JsonNode f = section.get(i);
            String at = "/functions/" + i;
            String name = f.path("name").asText("");
            if (!NAME.matcher(name).matches()) {
                problems.add(at + "/name: `" + name + "` is not a kebab-case name (lower-case letters, digits, dashes)");
            } else if (!names.add(name)) {
                problems.add(at + "/name: `" + name + "` names two functions");
            }
            EdgeFunction.Kind kind;
            try {
                kind = EdgeFunction.Kind.valueOf(f.path("kind").asText("").toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add(at + "/kind: must be webhook, scheduled or http");
                continue;
            }
            String provider = text(f, "provider");
            if (kind == EdgeFunction.Kind.WEBHOOK && (provider == null || !catalogue.webhooks().containsKey(provider))) {
                problems.add(at + "/provider: a webhook names its provider, one of " + catalogue.webhooks().keySet());
            }
            String schedule = text(f, "schedule");
            if (kind == EdgeFunction.Kind.SCHEDULED && (schedule == null || !CRON.matcher(schedule.trim()).matches())) {
                problems.add(at + "/schedule: a scheduled function needs a five-field cron expression (UTC) of digits,"
                        + " names and * / , -");
            }
            String email = text(f, "email");
            if (email != null && !catalogue.email().containsKey(email)) {
                problems.add(at + "/email: one of " + catalogue.email().keySet());
            }
            List<String> secrets = list(f.path("secrets"));
            for (String s : secrets) {
                if (!ENV.matcher(s).matches() || s.startsWith("SUPABASE_")) {
                    problems.add(at + "/secrets: `" + s + "` is not an environment name (UPPER_SNAKE_CASE; SUPABASE_"
                            + " is reserved for the platform's own)");
                }
            }
            List<String> writes = list(f.path("writes"));
            List<String> reads = list(f.path("reads"));
            for (String t : concat(writes, reads)) {
                if (!tables.isEmpty() && !tables.contains(t)) {
                    problems.add(at + ": table `" + t + "` is not among the bundle's tables " + tables);
                }
            }
            out.add(new EdgeFunction(name, kind, provider, schedule == null ? null : schedule.trim(), email, secrets,
                    writes, reads, text(f, "purpose")));
        }
        return new Plan(List.copyOf(out), List.of(), List.copyOf(problems));
    }

    private Plan fromWords(String task, Set<String> tables) {
        String words = task.toLowerCase(Locale.ROOT);
        List<EdgeFunction> out = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        for (String provider : List.of("stripe", "github")) {
            Pattern p = Pattern.compile("\\b" + provider + "\\b[^.;\\n]*?\\bwebhooks?\\b|\\bwebhooks?\\b[^.;\\n]*?\\b"
                    + provider + "\\b");
            Matcher m = p.matcher(words);
            if (m.find()) {
                List<String> writes = mentioned(sentence(words, m.start()), tables);
                out.add(new EdgeFunction(provider + "-webhook", EdgeFunction.Kind.WEBHOOK, provider, null, null, List.of(),
                        writes, List.of(), "receives " + catalogue.webhooks().get(provider).title() + " events"));
                findings.add(assumed(provider + "-webhook", "the task mentions a " + provider + " webhook: a webhook"
                        + " function `" + provider + "-webhook` that verifies the " + catalogue.webhooks().get(provider)
                        .header() + " signature" + (writes.isEmpty() ? " and stores nothing (no table named beside it)"
                        : " and records each event in " + writes)));
            }
        }
        String cron = null;
        int at = -1;
        Matcher daily = DAILY.matcher(words);
        if (daily.find()) {
            int hour = Integer.parseInt(daily.group(1));
            String suffix = daily.group(3);
            if ("pm".equals(suffix) && hour < 12) {
                hour += 12;
            } else if ("am".equals(suffix) && hour == 12) {
                hour = 0;
            }
            int minute = daily.group(2) == null ? 0 : Integer.parseInt(daily.group(2));
            if (hour <= 23 && minute <= 59) {
                cron = minute + " " + hour + " * * *";
                at = daily.start();
            }
        } else {
            Matcher hourly = HOURLY.matcher(words);
            if (hourly.find()) {
                cron = "0 * * * *";
                at = hourly.start();
            }
        }
        String email = catalogue.email().keySet().stream().sorted()
                .filter(k -> Pattern.compile("\\b" + k + "\\b").matcher(words).find()).findFirst().orElse(null);
        if (cron != null) {
            List<String> reads = mentioned(sentence(words, at), tables);
            String name = email == null ? "scheduled-job" : cron.startsWith("0 * ") ? "hourly-digest" : "daily-digest";
            out.add(new EdgeFunction(name, EdgeFunction.Kind.SCHEDULED, null, cron, email, List.of(), List.of(), reads,
                    email != null ? "emails a digest of the day's new rows through " + catalogue.email().get(email).title()
                            : "runs on a schedule"));
            findings.add(assumed(name, "the task's words give a schedule: cron `" + cron + "` (UTC; Supabase's pg_cron"
                    + " runs in UTC, so shift it for your time zone)" + (email == null ? "" : ", sending email through "
                    + catalogue.email().get(email).title()) + (reads.isEmpty() ? "" : ", reading " + reads)));
        } else if (email != null) {
            findings.add(new Finding("functions.trigger-unknown", Severity.WARN, null, "the task mentions "
                    + catalogue.email().get(email).title() + " but not when the email goes out; no function was made"
                    + " for it", "Add a `functions` section to the spec: { name, kind: scheduled, schedule: \"0 8 * * *\","
                    + " email: " + email + " } or kind: http.", null));
        }
        return new Plan(List.copyOf(out), findings, List.of());
    }

    private static Finding assumed(String object, String message) {
        return new Finding("functions.assumed", Severity.INFO, object, "assumed from the task's words (the spec has no"
                + " `functions` section): " + message, "Say it in the spec's `functions` section to change it.", null);
    }

    private static String sentence(String words, int at) {
        int start = Math.max(Math.max(words.lastIndexOf('.', at), words.lastIndexOf(';', at)),
                words.lastIndexOf('\n', at)) + 1;
        int end = words.length();
        for (char c : new char[] {'.', ';', '\n'}) {
            int i = words.indexOf(c, at);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        return words.substring(start, end);
    }

    /** The tables a sentence names, as written or with an s. */
    private static List<String> mentioned(String sentence, Set<String> tables) {
        return tables.stream().filter(t -> Pattern.compile("\\b" + Pattern.quote(t) + "s?\\b").matcher(sentence).find())
                .sorted().toList();
    }

    private static String text(JsonNode f, String key) {
        JsonNode v = f.get(key);
        return v == null || !v.isTextual() || v.asText().isBlank() ? null : v.asText();
    }

    private static List<String> list(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else if (node.isTextual()) {
            out.add(node.asText());
        }
        return out;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
