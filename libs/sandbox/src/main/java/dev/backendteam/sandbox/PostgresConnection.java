package dev.backendteam.sandbox;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A PostgreSQL server as the hosting platforms hand it over, turned into what pgjdbc takes: a JDBC URL, a user and a
 * password. Reads the libpq URL form ({@code postgresql://user:password@host:port/db?sslmode=require}, also
 * {@code postgres://}; percent-encoded user info, bracketed IPv6 hosts, comma-separated hosts) as Railway's
 * {@code DATABASE_URL}, Supabase and Neon give it, and libpq's {@code PGHOST}, {@code PGPORT}, {@code PGDATABASE},
 * {@code PGUSER}, {@code PGPASSWORD}, {@code PGSSLMODE}. Query parameters are carried over (libpq's
 * {@code connect_timeout}, {@code application_name} and {@code channel_binding} under pgjdbc's names). The password
 * never appears in a message or in {@link #toString()}, and never in {@link #jdbcUrl()}.
 *
 * @param user     null when the URL names none
 * @param password null when the URL carries none
 */
public record PostgresConnection(String jdbcUrl, String user, String password) {
    public static final String DATABASE_URL = "DATABASE_URL";
    private static final String JDBC = "jdbc:postgresql://";
    private static final Map<String, String> LIBPQ_TO_PGJDBC = Map.of(
            "connect_timeout", "connectTimeout",
            "application_name", "ApplicationName",
            "channel_binding", "channelBinding",
            "target_session_attrs", "targetServerType");

    /** True for the libpq URL form (which {@link #parse} turns into a JDBC URL), false for anything else. */
    public static boolean isLibpqUrl(String url) {
        String lower = url.trim().toLowerCase(Locale.ROOT);
        return lower.startsWith("postgresql://") || lower.startsWith("postgres://");
    }

    /**
     * Parses a {@code postgresql://} or {@code postgres://} URL; {@code variable} names where it came from, for the
     * message of a value that does not parse (which shows the URL with its password masked).
     */
    public static PostgresConnection parse(String url, String variable) {
        String text = url.trim();
        if (!isLibpqUrl(text)) {
            throw invalid(variable, text, "must start with postgresql:// or postgres://");
        }
        String rest = text.substring(text.indexOf("://") + 3);
        // The user info ends at the last '@': a password with an unencoded '@', '/', '?' or ':' still parses (and
        // is never taken for a host, a port or a parameter that a message would show).
        int at = rest.lastIndexOf('@');
        String user = null;
        String password = null;
        if (at >= 0) {
            String info = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon), variable, text, "the user");
            password = colon < 0 ? null : decode(info.substring(colon + 1), variable, text, "the password");
            user = user.isEmpty() ? null : user;
        }
        int q = rest.indexOf('?');
        String query = q < 0 ? "" : rest.substring(q + 1);
        String beforeQuery = q < 0 ? rest : rest.substring(0, q);
        int slash = beforeQuery.indexOf('/');
        String authority = slash < 0 ? beforeQuery : beforeQuery.substring(0, slash);
        String path = slash < 0 ? "" : beforeQuery.substring(slash + 1);
        String hosts = hosts(authority, variable, text);
        String database = decode(path, variable, text, "the database name");
        List<String> params = new ArrayList<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] kv = pair.split("=", 2);
            String key = decode(kv[0], variable, text, "a parameter name");
            String value = kv.length < 2 ? "" : decode(kv[1], variable, text, "the value of " + key);
            if (key.equals("user")) {
                user = user == null ? value : user;
            } else if (key.equals("password")) {
                password = password == null ? value : password;
            } else {
                params.add(LIBPQ_TO_PGJDBC.getOrDefault(key, key) + "=" + encode(value));
            }
        }
        if (database.isEmpty()) {
            throw invalid(variable, text, "names no database (postgresql://user:password@host:5432/database)");
        }
        return new PostgresConnection(jdbc(hosts, database, params), user, password);
    }

    /**
     * The job store's server from the environment when {@code QUARKUS_DATASOURCE_JDBC_URL} is not set:
     * {@code DATABASE_URL}, else the {@code PG*} variables ({@code PGHOST} required, {@code PGPORT} 5432,
     * {@code PGDATABASE} defaulting to {@code PGUSER} as libpq does); empty when neither is set.
     */
    public static Optional<PostgresConnection> fromEnvironment(Map<String, String> env) {
        String url = blankToNull(env.get(DATABASE_URL));
        if (url != null) {
            return Optional.of(parse(url, DATABASE_URL));
        }
        String host = blankToNull(env.get("PGHOST"));
        if (host == null) {
            return Optional.empty();
        }
        String user = blankToNull(env.get("PGUSER"));
        String database = blankToNull(env.get("PGDATABASE"));
        if (database == null && user == null) {
            throw new IllegalArgumentException("PGHOST is set but neither PGDATABASE nor PGUSER: name the database");
        }
        String port = blankToNull(env.get("PGPORT"));
        List<String> hostList = new ArrayList<>();
        for (String h : host.split(",")) {
            String one = h.trim();
            // libpq's PGHOST takes an IPv6 address without brackets
            hostList.add(one.contains(":") && !one.startsWith("[") ? "[" + one + "]" : one);
        }
        String hostPart = String.join(",", hostList.stream()
                .map(h -> port == null ? h : h + ":" + port).toList());
        String hosts = hosts(hostPart, "PGHOST/PGPORT", hostPart);
        List<String> params = new ArrayList<>();
        String sslmode = blankToNull(env.get("PGSSLMODE"));
        if (sslmode != null) {
            params.add("sslmode=" + encode(sslmode));
        }
        String password = env.get("PGPASSWORD");
        return Optional.of(new PostgresConnection(jdbc(hosts, database != null ? database : user, params), user,
                password == null || password.isEmpty() ? null : password));
    }

    /** The URL with the password of its user info and of a {@code password=} parameter replaced by {@code ***}. */
    public static String masked(String url) {
        String out = url.replaceAll("(?i)([?&]password=)[^&]*", "$1***");
        int scheme = out.indexOf("://");
        int at = out.lastIndexOf('@');
        if (scheme < 0 || at < scheme) {
            return out;
        }
        int colon = out.indexOf(':', scheme + 3);
        return colon < 0 || colon > at ? out : out.substring(0, colon + 1) + "***" + out.substring(at);
    }

    /** The password masked. */
    @Override
    public String toString() {
        return "PostgresConnection[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password="
                + (password == null ? null : "***") + "]";
    }

    private static String jdbc(String hosts, String database, List<String> params) {
        return JDBC + hosts + "/" + encode(database) + (params.isEmpty() ? "" : "?" + String.join("&", params));
    }

    /** Validates {@code host[:port]} items (IPv6 in brackets) and returns them as pgjdbc reads them. */
    private static String hosts(String authority, String variable, String text) {
        if (authority.isEmpty()) {
            throw invalid(variable, text, "names no host");
        }
        List<String> out = new ArrayList<>();
        for (String item : authority.split(",", -1)) {
            String host;
            String port = null;
            if (item.startsWith("[")) {
                int close = item.indexOf(']');
                if (close < 0) {
                    throw invalid(variable, text, "has an IPv6 host without its closing ]");
                }
                host = item.substring(0, close + 1);
                String after = item.substring(close + 1);
                if (!after.isEmpty()) {
                    if (!after.startsWith(":")) {
                        throw invalid(variable, text, "has something other than :port after the IPv6 host " + host);
                    }
                    port = after.substring(1);
                }
            } else {
                int colon = item.indexOf(':');
                if (colon >= 0 && item.indexOf(':', colon + 1) >= 0) {
                    throw invalid(variable, text, "has an IPv6 host without brackets (write [" + item + "])");
                }
                host = colon < 0 ? item : item.substring(0, colon);
                port = colon < 0 ? null : item.substring(colon + 1);
            }
            if (!host.matches("[A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.]+(%[A-Za-z0-9]+)?]")) {
                throw invalid(variable, text, "has an invalid host '" + host + "'");
            }
            if (port != null && !port.isEmpty()) {
                if (!port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                    throw invalid(variable, text, "has an invalid port '" + port + "' (1–65535)");
                }
                out.add(host + ":" + port);
            } else {
                out.add(host);
            }
        }
        return String.join(",", out);
    }

    /** Strict percent-decoding ({@code +} stays a plus sign, as in a URL's user info). */
    private static String decode(String s, String variable, String text, String what) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 1 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw invalid(variable, text, "has a broken percent-escape in " + what);
                }
                bytes.write(hi * 16 + lo);
                i += 3;
            } else {
                int next = s.indexOf('%', i);
                next = next < 0 ? s.length() : next;
                byte[] b = s.substring(i, next).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
                i = next;
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static IllegalArgumentException invalid(String variable, String url, String problem) {
        return new IllegalArgumentException(variable + "=" + masked(url) + " " + problem);
    }
}
