package dev.backendteam.dbarchitect.realtime;

import dev.backendteam.dbarchitect.realtime.RealtimePlan.Channel;
import dev.backendteam.dbarchitect.realtime.RealtimePlan.Published;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The client code of a realtime plan, TypeScript against {@code @supabase/supabase-js} (realtime-js): per channel
 * {@code supabase/realtime/<prefix>-channel.ts} (a private channel, {@code config: { private: true }}, broadcast send
 * and receive per event, presence track and sync), per published table {@code supabase/realtime/<table>-changes.ts}
 * (a postgres_changes subscription with the plan's filter and a row type read from the catalog).
 */
public final class RealtimeClient {
    public static final String DIR = "supabase/realtime/";

    private RealtimeClient() {
    }

    /** Path → content, in the plan's order. */
    public static Map<String, String> write(RealtimePlan plan, SchemaGraph graph, String migration) {
        Map<String, String> files = new LinkedHashMap<>();
        for (Channel c : plan.channels()) {
            files.put(DIR + fileName(c.prefix()) + "-channel.ts", channel(c, migration));
        }
        for (Published t : plan.tables()) {
            files.put(DIR + fileName(t.table()) + "-changes.ts", changes(t, graph.table(t.table()).orElseThrow()));
        }
        return files;
    }

    /** A name as a file name under {@link #DIR}: a table "Order" or "a/../b" stays a single, plain name there. */
    static String fileName(String name) {
        String plain = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return plain.isEmpty() ? "table" : plain;
    }

    static String channel(Channel c, String migration) {
        String type = pascal(c.prefix());
        String id = camel(c.scope().key());
        StringBuilder ts = new StringBuilder();
        ts.append("// The private channel ").append(c.topicPattern()).append(" (db-architect, websocket role): ")
                .append(String.join(" and ", c.extensions())).append(".\n// Who may join and send is decided by the policies on realtime.messages of migration ")
                .append(migration).append(":\n// join: ").append(c.join().words()).append("; send: ").append(c.send().words())
                .append(".\n");
        ts.append("import type { RealtimeChannel, RealtimeChannelSendResponse").append(c.presence()
                ? ", RealtimePresenceState" : "").append(", SupabaseClient } from \"@supabase/supabase-js\";\n\n");
        if (c.broadcast()) {
            for (String e : c.events()) {
                ts.append("export type ").append(type).append(pascal(e)).append("Payload = ").append(payload(e))
                        .append(";\n");
            }
        }
        if (c.presence()) {
            ts.append("export type ").append(type).append("Presence = { user_id: string; online_at: string };\n");
        }
        ts.append("\nexport interface ").append(type).append("ChannelHandlers {\n");
        if (c.broadcast()) {
            for (String e : c.events()) {
                ts.append("  on").append(pascal(e)).append("?: (payload: ").append(type).append(pascal(e))
                        .append("Payload) => void;\n");
            }
        }
        if (c.presence()) {
            ts.append("  onPresenceSync?: (state: RealtimePresenceState<").append(type).append("Presence>) => void;\n");
        }
        ts.append("  onStatus?: (status: string, error?: Error) => void;\n}\n\n");
        ts.append("export interface ").append(type).append("Channel {\n  channel: RealtimeChannel;\n");
        if (c.broadcast()) {
            for (String e : c.events()) {
                ts.append("  send").append(pascal(e)).append(": (payload: ").append(type).append(pascal(e))
                        .append("Payload) => Promise<RealtimeChannelSendResponse>;\n");
            }
        }
        ts.append("  leave: () => Promise<string>;\n}\n\n");
        ts.append("export function ").append(camel(c.prefix())).append("Topic(").append(id).append(": string): string {\n")
                .append("  return `").append(c.prefix()).append(":${").append(id).append("}`;\n}\n\n");
        ts.append("export async function join").append(type).append("Channel(\n  supabase: SupabaseClient,\n  ")
                .append(id).append(": string,\n  userId: string,\n  handlers: ").append(type)
                .append("ChannelHandlers = {},\n): Promise<").append(type).append("Channel> {\n");
        ts.append("  // a private channel: Realtime checks the user's JWT against realtime.messages' policies on join\n");
        ts.append("  await supabase.realtime.setAuth();\n");
        ts.append("  const channel = supabase.channel(").append(camel(c.prefix())).append("Topic(").append(id)
                .append("), {\n    config: { private: true").append(c.broadcast() ? ", broadcast: { self: false }" : "")
                .append(c.presence() ? ", presence: { key: userId }" : "").append(" },\n  });\n");
        if (c.broadcast()) {
            for (String e : c.events()) {
                ts.append("  channel.on(\"broadcast\", { event: \"").append(e).append("\" }, (message) => {\n")
                        .append("    handlers.on").append(pascal(e)).append("?.(message.payload as ").append(type)
                        .append(pascal(e)).append("Payload);\n  });\n");
            }
        }
        if (c.presence()) {
            ts.append("  channel.on(\"presence\", { event: \"sync\" }, () => {\n")
                    .append("    handlers.onPresenceSync?.(channel.presenceState<").append(type).append("Presence>());\n  });\n");
        }
        ts.append("  channel.subscribe(async (status, error) => {\n    handlers.onStatus?.(status, error);\n");
        if (c.presence()) {
            ts.append("    if (status === \"SUBSCRIBED\") {\n      const me: ").append(type)
                    .append("Presence = { user_id: userId, online_at: new Date().toISOString() };\n")
                    .append("      await channel.track(me);\n    }\n");
        }
        ts.append("  });\n  return {\n    channel,\n");
        if (c.broadcast()) {
            for (String e : c.events()) {
                ts.append("    send").append(pascal(e)).append(": (payload) => channel.send({ type: \"broadcast\", event: \"")
                        .append(e).append("\", payload }),\n");
            }
        }
        ts.append("    leave: () => supabase.removeChannel(channel),\n  };\n}\n");
        return ts.toString();
    }

    static String changes(Published t, SchemaGraph.Table table) {
        String type = pascal(t.table()) + "Row";
        StringBuilder ts = new StringBuilder();
        ts.append("// Postgres Changes of ").append(t.qualified()).append(" (db-architect, websocket role): the table is in the\n")
                .append("// supabase_realtime publication; its RLS decides which rows reach each subscriber.\n");
        ts.append("import type { RealtimeChannel, RealtimePostgresChangesPayload, SupabaseClient } from \"@supabase/supabase-js\";\n\n");
        ts.append("export type ").append(type).append(" = {\n");
        for (SchemaGraph.Column col : table.columns()) {
            ts.append("  ").append(col.name()).append(": ").append(tsType(col)).append(col.notNull() ? "" : " | null")
                    .append(";\n");
        }
        ts.append("};\n\n");
        String value = t.filter() == null ? null : camel(t.filter());
        ts.append("export function watch").append(pascal(t.table())).append("(\n  supabase: SupabaseClient,\n");
        if (value != null) {
            ts.append("  ").append(value).append(": string,\n");
        }
        ts.append("  onChange: (payload: RealtimePostgresChangesPayload<").append(type).append(">) => void,\n): RealtimeChannel {\n");
        ts.append("  return supabase\n    .channel(`").append(t.table()).append("-changes").append(value == null ? ""
                : ":${" + value + "}").append("`)\n");
        List<String> events = t.events().contains("*") ? List.of("*") : t.events();
        for (String e : events) {
            ts.append("    .on<").append(type).append(">(\n      \"postgres_changes\",\n      { event: \"").append(e)
                    .append("\", schema: \"public\", table: \"").append(t.table()).append("\"")
                    .append(value == null ? "" : ", filter: `" + t.filter() + "=eq.${" + value + "}`")
                    .append(" },\n      onChange,\n    )\n");
        }
        ts.append("    .subscribe();\n}\n");
        return ts.toString();
    }

    private static String payload(String event) {
        return switch (event) {
            case "cursor" -> "{ user_id: string; x: number; y: number }";
            case "typing" -> "{ user_id: string; typing: boolean }";
            default -> "{ [key: string]: unknown }";
        };
    }

    static String tsType(SchemaGraph.Column c) {
        if (!c.enumLabels().isEmpty()) {
            return String.join(" | ", c.enumLabels().stream().map(l -> "\"" + l.replace("\\", "\\\\")
                    .replace("\"", "\\\"") + "\"").toList());
        }
        String type = c.type().toLowerCase(Locale.ROOT);
        if (type.endsWith("[]")) {
            return "(" + scalar(type.substring(0, type.length() - 2)) + ")[]";
        }
        return scalar(type);
    }

    private static String scalar(String type) {
        if (type.startsWith("smallint") || type.startsWith("integer") || type.startsWith("bigint")
                || type.startsWith("numeric") || type.startsWith("real") || type.startsWith("double")) {
            return "number";
        }
        if (type.equals("boolean")) {
            return "boolean";
        }
        if (type.equals("json") || type.equals("jsonb")) {
            return "unknown";
        }
        return "string";
    }

    static String pascal(String snake) {
        StringBuilder out = new StringBuilder();
        for (String part : snake.split("[_-]")) {
            if (!part.isEmpty()) {
                out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return out.toString();
    }

    static String camel(String snake) {
        String p = pascal(snake);
        return p.isEmpty() ? p : Character.toLowerCase(p.charAt(0)) + p.substring(1);
    }
}
