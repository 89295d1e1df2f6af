package dev.backendteam.sandbox;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The admin JDBC URL, taken apart to reach other databases of the same server. */
final class JdbcUrl {
    private static final String SCHEME = "jdbc:postgresql://";
    /**
     * Parameters a runner connection inherits from the admin URL: how to reach the server, never who to be or what
     * to set ({@code user}, {@code password}, {@code options}, … stay behind). Not {@code socketFactory}: URL
     * parameters win over connection properties in pgjdbc, and the runner connections need the sandbox's own
     * factory, which makes its sockets with the admin URL's one (see {@link #parameter(String)}).
     */
    private static final Set<String> TRANSPORT = Set.of("tcpkeepalive", "gssencmode", "channelbinding",
            "targetservertype", "loadbalancehosts", "hostrecheckseconds", "connecttimeout", "logintimeout",
            "localsocketaddress", "cancelsignaltimeout", "sendbuffersize",
            "receivebuffersize", "tcpnodelay", "gsslib", "kerberosservername", "jaasapplicationname", "jaaslogin",
            "sspiserviceclass", "usespnego");

    private final String hosts;
    private final String database;
    private final String query;

    private JdbcUrl(String hosts, String database, String query) {
        this.hosts = hosts;
        this.database = database;
        this.query = query;
    }

    static JdbcUrl parse(String url) {
        if (!url.startsWith(SCHEME)) {
            throw new IllegalArgumentException("not a jdbc:postgresql:// URL");
        }
        String rest = url.substring(SCHEME.length());
        int q = rest.indexOf('?');
        String query = q < 0 ? "" : rest.substring(q + 1);
        String path = q < 0 ? rest : rest.substring(0, q);
        int slash = path.indexOf('/');
        String hosts = slash < 0 ? path : path.substring(0, slash);
        String database = slash < 0 ? "" : URLDecoder.decode(path.substring(slash + 1), StandardCharsets.UTF_8);
        return new JdbcUrl(hosts, database, query);
    }

    /** The database the admin URL names ("" when it names none: the driver then uses the user's name). */
    String database() {
        return database;
    }

    /** A parameter of the URL (case-insensitive name, decoded value), or null. */
    String parameter(String name) {
        for (String pair : query.split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv[0].equalsIgnoreCase(name)) {
                return kv.length < 2 ? "" : URLDecoder.decode(kv[1], StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** The admin URL with another database, all parameters kept (for the admin). */
    String forAdmin(String db) {
        return SCHEME + hosts + "/" + db + (query.isEmpty() ? "" : "?" + query);
    }

    /** Another database of the server with only transport parameters kept (for a runner role). */
    String forRunner(String db) {
        List<String> kept = new ArrayList<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String key = pair.split("=", 2)[0].toLowerCase(Locale.ROOT);
            if (key.startsWith("ssl") || TRANSPORT.contains(key)) {
                kept.add(pair);
            }
        }
        return SCHEME + hosts + "/" + db + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
    }
}
