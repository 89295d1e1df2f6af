package dev.backendteam.dbarchitect.realtime;

import dev.backendteam.dbarchitect.engine.Migration;
import dev.backendteam.dbarchitect.engine.output.MigrationWriter;
import dev.backendteam.dbarchitect.realtime.RealtimePlan.Access;
import dev.backendteam.dbarchitect.realtime.RealtimePlan.Channel;
import dev.backendteam.dbarchitect.realtime.RealtimePlan.Hop;
import dev.backendteam.dbarchitect.realtime.RealtimePlan.Published;
import dev.backendteam.dbarchitect.realtime.RealtimePlan.Scope;

import java.util.List;

/**
 * The realtime migration: tables added to {@code supabase_realtime} (with {@code replica identity full} only where a
 * filter needs the old row), and per channel one policy per operation on {@code realtime.messages}, {@code to
 * authenticated}: select (receive; join needs it for broadcast or presence) and insert (send, track presence), each
 * limited to the channel's extensions, to messages of the topic the Realtime server checks
 * ({@code (select realtime.topic())}), and to users the topic's scope row admits — a membership row of its tenant
 * ({@code exists}, {@code (select auth.uid())}), its owner, or any signed-in user while the row exists.
 */
public final class RealtimeMigration {
    /** The first line of every realtime migration: how the validation round finds it in the bundle. */
    public static final String HEADER = "-- Realtime (db-architect, websocket role):";

    private RealtimeMigration() {
    }

    public static Migration write(RealtimePlan plan, String name) {
        StringBuilder up = new StringBuilder(HEADER).append(" the tables Postgres Changes streams and who may join\n"
                + "-- and send on the private channels. Proven policy-level in the sandbox: no Realtime server runs there.\n");
        up.append(MigrationWriter.timeouts());
        StringBuilder down = new StringBuilder("-- Rolls back ").append(name).append(".\n").append(MigrationWriter.timeouts());
        for (Published t : plan.tables()) {
            up.append("\n-- Postgres Changes: ").append(t.sql()).append(t.filter() == null ? ""
                    : " (clients filter " + t.filter() + "=eq.<value>)").append('\n');
            up.append("alter publication supabase_realtime add table ").append(t.sql()).append(";\n");
            if (t.replicaIdentityFull()) {
                up.append("-- replica identity full: ").append(t.reason()).append(".\n");
                up.append("alter table ").append(t.sql()).append(" replica identity full;\n");
            }
        }
        for (Channel c : plan.channels()) {
            up.append("\n-- Channel ").append(c.topicPattern()).append(" (private): ").append(String.join(" and ",
                    c.extensions())).append(c.broadcast() ? " (events: " + String.join(", ", c.events()) + ")" : "")
                    .append("; join: ").append(c.join().words()).append("; send: ").append(c.send().words())
                    .append(".\n");
            policy(up, c.receivePolicy(), "select", "using", c, c.join());
            if (c.send() != Access.NONE) {
                policy(up, c.sendPolicy(), "insert", "with check", c, c.send());
            } else {
                up.append("-- no insert policy: nobody but the service role sends on this channel.\n");
            }
        }
        List<Channel> reversed = new java.util.ArrayList<>(plan.channels());
        java.util.Collections.reverse(reversed);
        for (Channel c : reversed) {
            if (c.send() != Access.NONE) {
                down.append("drop policy if exists ").append(ident(c.sendPolicy())).append(" on realtime.messages;\n");
            }
            down.append("drop policy if exists ").append(ident(c.receivePolicy())).append(" on realtime.messages;\n");
        }
        List<Published> tables = new java.util.ArrayList<>(plan.tables());
        java.util.Collections.reverse(tables);
        for (Published t : tables) {
            if (t.replicaIdentityFull()) {
                down.append("alter table ").append(t.sql()).append(" replica identity ")
                        .append(identity(t.previousIdentity())).append(";\n");
            }
            down.append("alter publication supabase_realtime drop table ").append(t.sql()).append(";\n");
        }
        return new Migration(name, up.toString(), down.toString());
    }

    private static void policy(StringBuilder sql, String name, String command, String clause, Channel c, Access a) {
        sql.append("drop policy if exists ").append(ident(name)).append(" on realtime.messages;\n");
        sql.append("create policy ").append(ident(name)).append(" on realtime.messages\n  for ").append(command)
                .append(" to authenticated\n  ").append(clause).append(" (\n    ").append(condition(c, a))
                .append("\n  );\n");
    }

    /** The policy's condition; {@code false} for a channel nobody may send on (only the service role). */
    static String condition(Channel c, Access a) {
        if (a == Access.NONE) {
            return "false";
        }
        String topic = "(select realtime.topic())";
        String extensions = c.extensions().size() == 1 ? "realtime.messages.extension = '" + c.extensions().get(0) + "'"
                : "realtime.messages.extension in ('broadcast', 'presence')";
        String prefix = literal(c.prefix() + ":");
        // the whole topic is compared with the one a scope row gives: "<prefix>:<key>", nothing before or after it
        // (a prefix test and the text after the first colon would admit "project:<key>:anything")
        StringBuilder where = new StringBuilder(extensions)
                .append("\n    and realtime.messages.topic = ").append(topic)
                .append("\n    and exists (\n      select 1\n      ");
        Scope s = c.scope();
        switch (a) {
            case MEMBER -> {
                if (s.hops().isEmpty() && s.membershipTenantRef().equals(s.key())) {
                    where.append("from public.").append(ident(s.membership())).append(" m\n      where ")
                            .append(topic).append(" = ").append(prefix).append(" || m.")
                            .append(ident(s.membershipTenantColumn())).append("::text");
                } else if (s.hops().isEmpty()) {
                    // the membership references another unique column of the tenant than the topic's key
                    where.append("from public.").append(ident(s.table())).append(" s\n      join public.")
                            .append(ident(s.membership())).append(" m on m.").append(ident(s.membershipTenantColumn()))
                            .append(" = s.").append(ident(s.membershipTenantRef()))
                            .append("\n      where ").append(topic).append(" = ").append(prefix).append(" || s.")
                            .append(ident(s.key())).append("::text");
                } else {
                    where.append("from public.").append(ident(s.table())).append(" s");
                    String alias = "s";
                    for (int i = 0; i < s.hops().size() - 1; i++) {
                        Hop h = s.hops().get(i);
                        String next = "p" + (i + 1);
                        where.append("\n      join public.").append(ident(h.to())).append(' ').append(next)
                                .append(" on ").append(next).append('.').append(ident(h.toColumn())).append(" = ")
                                .append(alias).append('.').append(ident(h.column()));
                        alias = next;
                    }
                    Hop last = s.hops().get(s.hops().size() - 1);
                    if (!last.toColumn().equals(s.membershipTenantRef())) {
                        // the hop reaches the tenant by one column, the membership by another: join the tenant
                        where.append("\n      join public.").append(ident(s.tenant())).append(" t on t.")
                                .append(ident(last.toColumn())).append(" = ").append(alias).append('.')
                                .append(ident(last.column()));
                        where.append("\n      join public.").append(ident(s.membership())).append(" m on m.")
                                .append(ident(s.membershipTenantColumn())).append(" = t.")
                                .append(ident(s.membershipTenantRef()));
                    } else {
                        where.append("\n      join public.").append(ident(s.membership())).append(" m on m.")
                                .append(ident(s.membershipTenantColumn())).append(" = ").append(alias).append('.')
                                .append(ident(last.column()));
                    }
                    where.append("\n      where ").append(topic).append(" = ").append(prefix).append(" || s.")
                            .append(ident(s.key())).append("::text");
                }
                where.append("\n        and m.").append(ident(s.membershipUserColumn()))
                        .append(" = (select auth.uid())");
            }
            case OWNER -> where.append("from public.").append(ident(s.table())).append(" s\n      where ")
                    .append(topic).append(" = ").append(prefix).append(" || s.").append(ident(s.key()))
                    .append("::text\n        and s.").append(ident(s.ownerColumn())).append(" = (select auth.uid())");
            default -> where.append("from public.").append(ident(s.table())).append(" s\n      where ").append(topic)
                    .append(" = ").append(prefix).append(" || s.").append(ident(s.key())).append("::text");
        }
        return where.append("\n    )").toString();
    }

    /** The replica identity a down script restores: {@code i:<index>} (from columns.sql) is that index. */
    private static String identity(String relreplident) {
        if (relreplident != null && relreplident.startsWith("i:")) {
            return "using index " + ident(relreplident.substring(2));
        }
        return switch (relreplident == null ? "d" : relreplident) {
            case "n" -> "nothing";
            case "f" -> "full";
            default -> "default";
        };
    }

    static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
