package dev.backendteam.orchestrator.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Who owns a job that arrives on backend-team.jobs.requested: the first rule whose pattern matches the record's
 * CloudEvents {@code source} ({@code ce_source} header), else the default owner. A rule is {@code <source>=<owner>};
 * a source ending in {@code *} matches by prefix. The owner is an API key's name, so that key sees the job and no
 * other does. Whoever may write to the topic can name any source: the topic's write ACL is the trust boundary.
 */
public final class EventOwners {
    private record Rule(String source, boolean prefix, String owner) {
        boolean matches(String s) {
            return prefix ? s.startsWith(source) : s.equals(source);
        }
    }

    private final List<Rule> rules = new ArrayList<>();
    private final String fallback;

    /** @param setting comma-separated rules, e.g. {@code urn:crm:*=sales,urn:billing=finance} */
    public EventOwners(Optional<String> setting, String fallback) {
        if (fallback == null || fallback.isBlank()) {
            throw new IllegalArgumentException("backend-team.events-owner must name an owner");
        }
        this.fallback = fallback;
        setting.ifPresent(s -> {
            for (String entry : s.split(",")) {
                String e = entry.trim();
                if (e.isEmpty()) {
                    continue;
                }
                int eq = e.lastIndexOf('=');
                String source = eq > 0 ? e.substring(0, eq).trim() : "";
                String owner = eq > 0 ? e.substring(eq + 1).trim() : "";
                boolean prefix = source.endsWith("*");
                String pattern = prefix ? source.substring(0, source.length() - 1) : source;
                if (pattern.isEmpty() || owner.isEmpty() || pattern.contains("*")) {
                    throw new IllegalArgumentException("backend-team.events-owners: '" + e + "' is not "
                            + "<ce_source>=<owner> (a source may end in * to match by prefix, e.g. urn:crm:*=sales)");
                }
                rules.add(new Rule(pattern, prefix, owner));
            }
        });
    }

    /** The owner for a record with this CloudEvents source (null or absent: the default owner). */
    public String ownerOf(String source) {
        if (source != null) {
            for (Rule r : rules) {
                if (r.matches(source)) {
                    return r.owner();
                }
            }
        }
        return fallback;
    }
}
