package dev.backendteam.dbarchitect.realtime;

import java.util.List;

/**
 * What the realtime role sets up: the tables added to {@code supabase_realtime} (Postgres Changes) and the private
 * channels whose join and send the policies on {@code realtime.messages} decide; {@code assumptions} say what was
 * derived rather than declared.
 */
public record RealtimePlan(String migration, List<Published> tables, List<Channel> channels,
        List<String> assumptions) {

    public RealtimePlan {
        tables = List.copyOf(tables);
        channels = List.copyOf(channels);
        assumptions = List.copyOf(assumptions);
    }

    /** Who may join (receive) or send on a channel's topic. */
    public enum Access {
        MEMBER("member", "members of the tenant"), OWNER("owner", "the row's owner"),
        AUTHENTICATED("authenticated", "any signed-in user"), NONE("none", "nobody (only the service)");

        private final String wire;
        private final String words;

        Access(String wire, String words) {
            this.wire = wire;
            this.words = words;
        }

        public String wire() {
            return wire;
        }

        public String words() {
            return words;
        }

        public static Access of(String wire) {
            for (Access a : values()) {
                if (a.wire.equals(wire)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("unknown access " + wire);
        }
    }

    /** A table whose changes clients subscribe to, filtered by {@code filter} (may be null). */
    public record Published(String table, String filter, List<String> events, boolean replicaIdentityFull,
            String previousIdentity, String reason) {

        /** The catalog's name, as the publication lists it (not SQL: see {@link #sql()}). */
        public String qualified() {
            return "public." + table;
        }

        /** The name quoted for SQL: a table {@code "Order"} or {@code "user"} is written as it is. */
        public String sql() {
            return "public." + RealtimeMigration.ident(table);
        }

        public boolean deletes() {
            return events.contains("*") || events.contains("DELETE");
        }
    }

    /** One foreign-key step from a scope towards its tenant: {@code from}.{@code column} = {@code to}.{@code toColumn}. */
    public record Hop(String from, String column, String to, String toColumn) {
    }

    /**
     * A channel's topic {@code <prefix>:<id of a scope row>}: the scope table and its key, how the topic reaches the
     * tenant's membership table (hops; none when the scope is the tenant), or the owner column;
     * {@code membershipTenantRef} is the tenant's column the membership references (its key, or another unique one).
     */
    public record Scope(String table, String key, String keyType, List<Hop> hops, String tenant, String membership,
            String membershipTenantColumn, String membershipUserColumn, String ownerColumn,
            String membershipTenantRef) {

        public Scope {
            hops = hops == null ? List.of() : List.copyOf(hops);
        }

        public boolean tenancy() {
            return membership != null;
        }
    }

    public record Channel(String prefix, Scope scope, boolean broadcast, boolean presence, List<String> events,
            Access join, Access send) {

        public Channel {
            events = List.copyOf(events);
        }

        public String topicPattern() {
            return prefix + ":{" + scope.key() + "}";
        }

        public List<String> extensions() {
            if (broadcast && presence) {
                return List.of("broadcast", "presence");
            }
            return broadcast ? List.of("broadcast") : List.of("presence");
        }

        public String receivePolicy() {
            return prefix + " channel: " + plural(join) + " receive";
        }

        public String sendPolicy() {
            return prefix + " channel: " + plural(send) + " send";
        }

        private static String plural(Access a) {
            return switch (a) {
                case MEMBER -> "members";
                case OWNER -> "owner";
                case AUTHENTICATED -> "signed-in users";
                case NONE -> "nobody";
            };
        }
    }
}
